namespace FaultLab.Tests;

/// <summary>faultlab trace: fault-stage events of a workload child, end to end, and its usage errors.</summary>
public class TraceCommandTests
{
    [Fact]
    public void A_soft_refault_trace_counts_check_upper_lookup_upper_and_enter_once_per_fault()
    {
        var output = CliOutput.Run("trace", "--workload", "soft-refault", "--seconds", "1");
        Assert.True(output.ExitCode == 0, output.Stderr);
        var lines = output.Stdout.Split('\n');
        var faults = long.Parse(lines[1].Split(' ')[0]);
        Assert.True(faults > 1000, lines[1]);
        long Count(string stage) => long.Parse(lines.Single(l => l.StartsWith(stage + " ")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        foreach (var stage in new[] { "entry", "check", "upper-lookup", "enter" })
            Assert.InRange(Count(stage), faults - 2, faults + 2);
        // the workload's set-up (256 first writes: zero fills, no upper stage) is traced too
        Assert.InRange(Count("upper"), faults - 258, faults);
        Assert.DoesNotContain(lines, l => l.StartsWith("lower-io "));
    }

    [Theory]
    [InlineData("trace")]
    [InlineData("trace", "--workload", "no-such")]
    [InlineData("trace", "--workload", "wire", "--seconds", "0")]
    public void Bad_usage_exits_2(params string[] args)
    {
        var output = CliOutput.Run(args);
        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith("faultlab: ", output.Stderr);
    }
}
