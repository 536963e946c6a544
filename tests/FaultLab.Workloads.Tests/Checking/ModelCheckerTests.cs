using FaultLab.Workloads.Checking;
using Xunit.Abstractions;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>The checker against the real model: a fixed set of seeds must find nothing.</summary>
public class ModelCheckerTests(ITestOutputHelper output)
{
    public static TheoryData<ulong> Seeds => new(Enumerable.Range(1, 20).Select(i => (ulong)i));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_fixed_seed_finds_no_violation(ulong seed)
    {
        var result = ModelChecker.Run(new CheckerOptions { Seed = seed, MaxRuns = 3, StepsPerRun = 300, Duration = TimeSpan.MaxValue });

        if (result.Failure is { } f) output.WriteLine($"seed {f.Seed}: {f.Violation}\n{string.Join("\n", f.ShrunkOperations)}");
        Assert.Null(result.Failure);
        Assert.Equal(3, result.Runs);
    }

    [Fact]
    public void A_byte_flipped_by_a_wrapper_around_the_model_is_caught_and_shrunk()
    {
        var result = ModelChecker.Run(new CheckerOptions { Seed = 5, MaxRuns = 20, StepsPerRun = 200, Duration = TimeSpan.MaxValue },
            null, config => new ChildReadFlipper(ModelChecker.NetBsdMachine(config)));

        var failure = Assert.IsType<CheckFailure>(result.Failure);
        output.WriteLine(string.Join("\n", failure.ShrunkOperations));
        Assert.Contains("value", failure.Violation);
        var ops = failure.ShrunkOperations.Count(l => !l.StartsWith('#') && !l.StartsWith("machine ")
            && !l.StartsWith("file ") && !l.StartsWith("proc "));
        Assert.InRange(ops, 2, 5);
    }

    [Fact]
    public void A_cancelled_session_stops_between_runs_and_says_how_far_it_got()
    {
        using var cancel = new CancellationTokenSource();
        var runs = 0L;

        var result = ModelChecker.Run(new CheckerOptions { Seed = 3, Duration = TimeSpan.MaxValue, Cancellation = cancel.Token },
            progress =>
            {
                runs = progress.Runs;
                cancel.Cancel();
            });

        Assert.True(result.Interrupted);
        Assert.Null(result.Failure);
        Assert.Equal(runs, result.Runs); // the progress run is the last: cancelled right after it
        Assert.True(result.Operations > 0);
        Assert.False(ModelChecker.Run(new CheckerOptions { Seed = 3, MaxRuns = 1 }).Interrupted);
    }
}
