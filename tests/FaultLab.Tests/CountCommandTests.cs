using System.Text.Json;
using FaultLab.Cli;
using FaultLab.Profiling.Counting;

namespace FaultLab.Tests;

/// <summary>
/// <c>faultlab count</c>: exact instruction counts of a warmed batch, by single-stepping it with ptrace. A count
/// does not move with the machine's load; two counts of one build differ only where the JIT compiled different
/// code (Dynamic PGO's profile of a run: a few instructions per fault at most).
/// </summary>
public class CountCommandTests
{
    private static JsonElement Count(params string[] args)
    {
        var output = CliOutput.Run(["count", "--workload", "soft-refault", "--json", .. args]);
        Assert.True(output.ExitCode == 0, output.Stderr);
        return JsonDocument.Parse(output.Stdout).RootElement;
    }

    [CountFact]
    public void Counts_a_batch_per_fault_and_per_method_and_again_within_a_tenth_of_a_percent()
    {
        var first = Count("--path", "generic", "--top", "0");
        var second = Count("--path", "generic", "--top", "0");

        long a = first.GetProperty("instructions").GetInt64(), b = second.GetProperty("instructions").GetInt64();
        Assert.InRange(Math.Abs(a - b), 0, a / 1000);
        Assert.Equal(256, first.GetProperty("faults").GetInt32());
        // The soft refault is about a thousand instructions in a Release build and some six thousand in the tests'
        // Debug build (unoptimized IL); far more would be the tracer counting something else, far fewer a batch
        // that did not fault.
        Assert.InRange(first.GetProperty("perFault").GetDouble(), 300, 20_000);
        var methods = first.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()!).ToList();
        Assert.Contains(methods, m => m.Contains("UvmFault::FaultInternal", StringComparison.Ordinal));
        Assert.Equal(first.GetProperty("instructions").GetInt64(),
            first.GetProperty("methods").EnumerateArray().Sum(m => m.GetProperty("instructions").GetInt64()));
        Assert.DoesNotContain(Directory.EnumerateFiles("/tmp", "perf-*.map"), f => !IsLive(f)); // the child's map is removed
    }

    /// <summary>Whether the perf map belongs to a process that still runs (another test's, or a tool's).</summary>
    private static bool IsLive(string perfMap) =>
        int.TryParse(Path.GetFileNameWithoutExtension(perfMap)["perf-".Length..], out var pid) && Directory.Exists($"/proc/{pid}");

    [Fact]
    public void An_unknown_workload_is_a_usage_error_before_anything_runs()
    {
        var output = CliOutput.Run("count", "--workload", "nope");

        Assert.Equal(ExitCodes.Usage, output.ExitCode);
        Assert.Contains("unknown workload 'nope'", output.Stderr);
    }

    [Theory]
    [InlineData("valuetype FaultLab.Core.Errno [FaultCore] FaultLab.Core.UvmFault::FaultInternal(class FaultLab.Core.Machine,uint64)[OptimizedTier1]", "UvmFault::FaultInternal[OptimizedTier1]")]
    [InlineData("instance !0& [FaultCore] FaultLab.Core.Pool`1[FaultLab.Core.VmMapEntry]::get_Item(int32)[OptimizedTier1]", "Pool`1[FaultLab.Core.VmMapEntry]::get_Item[OptimizedTier1]")]
    [InlineData("[libc.so.6] getppid", "[libc.so.6] getppid")]
    public void Method_names_are_shortened_to_class_and_method(string perfMapName, string shown)
    {
        Assert.Equal(shown, CountCommand.ShortName(perfMapName));
    }
}

/// <summary>A fact that runs only where <see cref="InstructionCounter.Supported"/> (Linux on x86-64, with ptrace).</summary>
public sealed class CountFactAttribute : FactAttribute
{
    public CountFactAttribute()
    {
        if (!InstructionCounter.Supported)
            Skip = "counting needs Linux on x86-64";
    }
}
