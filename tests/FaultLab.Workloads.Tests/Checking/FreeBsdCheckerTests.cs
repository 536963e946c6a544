using FaultLab.Core;
using FaultLab.Workloads.Checking;
using Xunit.Abstractions;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>The checker on the FreeBSD family: the same content oracle, the family's own invariants, the three paths in lockstep.</summary>
public class FreeBsdCheckerTests(ITestOutputHelper output)
{
    public static TheoryData<ulong> Seeds => new(Enumerable.Range(1, 10).Select(i => (ulong)i));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_fixed_seed_finds_no_violation_with_the_paths_in_lockstep(ulong seed)
    {
        var result = ModelChecker.Run(new CheckerOptions
        {
            Family = MachineFamily.FreeBsd, Lockstep = true, Seed = seed, MaxRuns = 3, StepsPerRun = 300,
            Duration = TimeSpan.MaxValue,
        });

        if (result.Failure is { } f) output.WriteLine($"seed {f.Seed}: {f.Violation}\n{string.Join("\n", f.ShrunkOperations)}");
        Assert.Null(result.Failure);
        Assert.Equal(3, result.Runs);
    }
}

/// <summary>The checker on FreeBSD catches a planted bug of the chain walk: a read that found its data below the
/// first object (outcome <c>shadow</c>) returns the wrong byte, as a walk that lost a backing_object_offset would.</summary>
public class FreeBsdPlantedBugTests(ITestOutputHelper output)
{
    [Fact]
    public void A_wrong_byte_from_a_shadow_read_is_caught_and_shrunk()
    {
        var result = ModelChecker.Run(
            new CheckerOptions { Family = MachineFamily.FreeBsd, Seed = 5, MaxRuns = 50, StepsPerRun = 200, Duration = TimeSpan.MaxValue },
            null, config => new ShadowReadFlipper(MachineFamily.FreeBsd.Create(config)));

        var failure = Assert.IsType<CheckFailure>(result.Failure);
        output.WriteLine(string.Join("\n", failure.ShrunkOperations));
        Assert.Contains("value", failure.Violation);
        Assert.Equal("machine", failure.ShrunkOperations[0].Split(' ')[0]);
        Assert.Contains("family=freebsd", failure.ShrunkOperations[0]);
        var ops = failure.ShrunkOperations.Count(l => !l.StartsWith('#') && !l.StartsWith("machine ")
            && !l.StartsWith("file ") && !l.StartsWith("proc "));
        Assert.InRange(ops, 2, 6);
    }
}

/// <summary>A FreeBSD machine whose reads that find their data in a deeper object return the byte plus one.</summary>
internal sealed class ShadowReadFlipper(IMachine inner) : MachineWrapper(inner)
{
    static readonly Outcome Shadow = Outcome.Fault(FreeBsdFamily.Outcomes.ToList().IndexOf("shadow"));

    public override AccessResult Read(ProcId p, ulong addr)
    {
        var r = Inner.Read(p, addr);
        return r.Ok && r.Outcome == Shadow ? r with { Value = (byte)(r.Value + 1) } : r;
    }
}
