using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace FaultLab.Benchmarks.Results;

/// <summary>The machine and build a run measured: what every figure must be read beside.</summary>
public sealed record MachineInfo
{
    public required string Cpu { get; init; }
    public required int Cores { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    /// <summary>Release or Debug: how FaultCore was compiled (a Debug figure says little).</summary>
    public required string Configuration { get; init; }
    public required bool TieredCompilation { get; init; }
    public required string Gc { get; init; }
    public string? GitCommit { get; init; }
    /// <summary>Tracked files differed from the commit.</summary>
    public bool? GitDirty { get; init; }

    /// <summary>One line for tables and logs.</summary>
    public string Summary =>
        $"{Cpu}, {Cores} cores, {Os}, {Runtime} ({Configuration}{(TieredCompilation ? "" : ", tiering off")})" +
        (GitCommit is null ? "" : $", commit {GitCommit[..Math.Min(12, GitCommit.Length)]}{(GitDirty == true ? " (modified)" : "")}");

    /// <summary>This process's machine; the git commit of <paramref name="repository"/> (or of the current directory).</summary>
    public static MachineInfo Current(string? repository = null)
    {
        var (commit, dirty) = Git(repository ?? Directory.GetCurrentDirectory());
        return new MachineInfo
        {
            Cpu = CpuModel(),
            Cores = Environment.ProcessorCount,
            Os = RuntimeInformation.OSDescription,
            Runtime = RuntimeInformation.FrameworkDescription,
            Configuration = IsOptimized(typeof(FaultLab.Core.Machine).Assembly) ? "Release" : "Debug",
            TieredCompilation = TieringEnabled(),
            Gc = (GCSettings.IsServerGC ? "server" : "workstation") +
                 (GCSettings.LatencyMode == GCLatencyMode.Batch ? "" : ", concurrent"),
            GitCommit = commit,
            GitDirty = commit is null ? null : dirty,
        };
    }

    /// <summary>The <c>model name</c> of /proc/cpuinfo, or the architecture where there is none.</summary>
    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                    return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    public static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    /// <summary>Whether this process runs with tiered compilation (the runtime's switch, or its environment knob).</summary>
    public static bool TieringEnabled()
    {
        // The environment knob overrides runtimeconfig.json, which AppContext sees as a switch.
        var knob = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation")
                   ?? Environment.GetEnvironmentVariable("COMPlus_TieredCompilation");
        if (knob is not null)
            return knob is not ("0" or "false");
        return !AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var enabled) || enabled;
    }

    private static (string? Commit, bool Dirty) Git(string directory)
    {
        var commit = RunGit(directory, "rev-parse HEAD");
        if (commit is null || commit.Length < 7)
            return (null, false);
        var status = RunGit(directory, "status --porcelain --untracked-files=no");
        return (commit, !string.IsNullOrEmpty(status));
    }

    private static string? RunGit(string directory, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", $"-C \"{directory}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = Process.Start(start);
            if (git is null)
                return null;
            var errors = git.StandardError.ReadToEndAsync();
            var output = git.StandardOutput.ReadToEnd();
            errors.Wait();
            return git.WaitForExit(10_000) && git.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
