using FaultLab.Core;

namespace FaultLab.Cli;

/// <summary>
/// The <c>--path</c> option. The accepted names come from <see cref="FaultPathNames"/>, so each path the model
/// gains becomes selectable without touching the CLI.
/// </summary>
internal static class PathOption
{
    public static string Known => string.Join(", ", FaultPathNames.All);

    public static FaultPath Parse(Arguments arguments)
    {
        var name = arguments.Value();
        if (FaultPathNames.TryParse(name, out var path))
            return path;
        throw arguments.Error($"unknown path {Workloads.Excerpt.Quote(name)}; known: {Known}");
    }
}
