using FaultLab.Core;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary>
/// The <c>--path</c> option. The accepted names come from <see cref="FaultPath"/> itself, so each path the model
/// gains becomes selectable without touching the CLI.
/// </summary>
internal static class FaultPaths
{
    public static string Known => string.Join(", ", Enum.GetValues<FaultPath>().Select(NameOf));

    public static FaultPath Parse(Arguments arguments)
    {
        var name = arguments.Value();
        foreach (var path in Enum.GetValues<FaultPath>())
        {
            if (NameOf(path) == name)
            {
                return path;
            }
        }
        throw arguments.Error($"unknown path {Excerpt.Quote(name)}; known: {Known}");
    }

    public static string NameOf(FaultPath path) => path.ToString().ToLowerInvariant();
}
