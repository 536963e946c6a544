using FaultLab.Core;

namespace FaultLab.Benchmarks;

/// <summary>Fault paths by the names results use (generic, specialized, monomorphized).</summary>
public static class FaultPaths
{
    public static string NameOf(FaultPath path) => path.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<FaultPath>().Select(NameOf).ToArray();
}
