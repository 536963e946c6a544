namespace FaultLab.Cli;

/// <summary>
/// The FaultLab repository this tool can find: above the current directory, or above the tool itself when it runs
/// from its build output. BenchmarkDotNet's default toolchain builds perf/FaultLab.Benchmarks from it, and results
/// record its git commit.
/// </summary>
internal static class SourceTree
{
    public const string BenchmarkProject = "perf/FaultLab.Benchmarks/FaultLab.Benchmarks.csproj";

    /// <summary>The repository root (the directory of FaultLab.slnx with the benchmark project), or null.</summary>
    public static string? Find() =>
        Above(Directory.GetCurrentDirectory()) ?? Above(AppContext.BaseDirectory);

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaultLab.slnx")) &&
                File.Exists(Path.Combine(dir.FullName, BenchmarkProject)))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
