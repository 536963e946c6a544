using FaultLab.Core;
using FaultLab.Workloads.Checking;
using Xunit.Abstractions;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>
/// The cross-family mode: the same operations on a FreeBSD and a NetBSD machine, compared on what both contracts
/// say processes observe (errnos, access success, the bytes read and peeked), not on outcomes or counters.
/// </summary>
public class CrossFamilyTests(ITestOutputHelper output)
{
    public static TheoryData<ulong> Seeds => new(Enumerable.Range(1, 8).Select(i => (ulong)i));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FreeBsd_checked_beside_NetBsd_finds_no_difference(ulong seed) =>
        Clean(new CheckerOptions
        {
            Family = MachineFamily.FreeBsd, CrossFamily = MachineFamily.NetBsd, Seed = seed, MaxRuns = 3, StepsPerRun = 250,
            Duration = TimeSpan.MaxValue,
        });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void NetBsd_checked_beside_FreeBsd_finds_no_difference(ulong seed) =>
        Clean(new CheckerOptions
        {
            Family = MachineFamily.NetBsd, CrossFamily = MachineFamily.FreeBsd, Seed = seed, MaxRuns = 3, StepsPerRun = 250,
            Duration = TimeSpan.MaxValue,
        });

    [Fact]
    public void Cross_family_and_the_paths_in_lockstep_together()
    {
        Clean(new CheckerOptions
        {
            Family = MachineFamily.FreeBsd, CrossFamily = MachineFamily.NetBsd, Lockstep = true, Seed = 77, MaxRuns = 4,
            StepsPerRun = 250, Duration = TimeSpan.MaxValue,
        });
    }

    [Fact]
    public void A_byte_the_other_family_reads_wrong_is_a_cross_family_violation()
    {
        // the other family: FreeBSD's vocabulary, machines whose reads found below the first object lie
        var free = MachineFamily.FreeBsd;
        var flipped = new MachineFamily("flipped", "FreeBSD with a planted chain-walk bug", free.Outcomes, free.Keys,
            free.OwnCounters, c => new ShadowReadFlipper(free.Create(c)), free.Features, free.Semantics);
        var result = ModelChecker.Run(new CheckerOptions
        {
            Family = MachineFamily.NetBsd, CrossFamily = flipped, Seed = 5, MaxRuns = 50, StepsPerRun = 200,
            Duration = TimeSpan.MaxValue,
        });

        var failure = Assert.IsType<CheckFailure>(result.Failure);
        output.WriteLine($"{failure.Violation}\n{string.Join("\n", failure.ShrunkOperations)}");
        Assert.Contains("cross-family", failure.Violation);
        Assert.Contains("netbsd read/wrote", failure.Violation);
        Assert.InRange(failure.ShrunkOperations.Count(l => l.StartsWith("p")), 1, 6);
    }

    void Clean(CheckerOptions options)
    {
        var result = ModelChecker.Run(options);
        if (result.Failure is { } f) output.WriteLine($"seed {f.Seed}: {f.Violation}\n{string.Join("\n", f.ShrunkOperations)}");
        Assert.Null(result.Failure);
        Assert.Equal((long)options.MaxRuns!, result.Runs);
    }
}
