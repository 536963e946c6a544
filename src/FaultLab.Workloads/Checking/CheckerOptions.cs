namespace FaultLab.Workloads.Checking;

/// <summary>How long and how hard <see cref="ModelChecker"/> searches.</summary>
public sealed record CheckerOptions
{
    public ulong Seed { get; init; } = 1;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Stop after this many runs (in addition to <see cref="Duration"/>).</summary>
    public int? MaxRuns { get; init; }
    public int StepsPerRun { get; init; } = 200;
    public FaultLab.Core.FaultPath Path { get; init; } = FaultLab.Core.FaultPath.Generic;
    /// <summary>The family of the machines checked: the operations it has are the ones generated.</summary>
    public FaultLab.Core.MachineFamily Family { get; init; } = FaultLab.Core.MachineFamily.NetBsd;
    /// <summary>Run every operation sequence on one machine per fault path at once (<see cref="Path"/> is then
    /// ignored): besides the usual checks of the reference (generic) path, any difference between the paths in an
    /// operation's result, the counters, the invariant checker's findings or <c>Machine.Fingerprint()</c> after a
    /// step is a violation of kind <c>divergence</c>.</summary>
    public bool Lockstep { get; init; }

    /// <summary>Run every operation sequence also on a machine of this other family (cross-family mode): besides the
    /// usual checks, any difference in what the two contracts say must agree (operation errnos, whether an access
    /// succeeded, the bytes read and peeked) is a violation of kind <c>cross-family</c>. Null: off.</summary>
    public FaultLab.Core.MachineFamily? CrossFamily { get; init; }

    /// <summary>Stops the session between runs (the result then says <see cref="CheckResult.Interrupted"/>).</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>
/// A violation found by the checker. <paramref name="Seed"/> is the seed of the failing run: re-running with
/// <c>Seed = Seed, MaxRuns = 1</c> (and the same steps) reproduces it. <paramref name="ShrunkOperations"/> is the
/// shrunk run as the lines of a runnable scenario file: the <c>machine</c>, <c>file</c> and <c>proc</c> header
/// lines first, then one statement per operation.
/// </summary>
public sealed record CheckFailure(ulong Seed, string Violation, IReadOnlyList<string> ShrunkOperations);

/// <summary>What a checker session did: runs, operations executed, and the first failure (shrunk) if any.</summary>
public sealed record CheckResult(long Runs, long Operations, CheckFailure? Failure)
{
    /// <summary>The session was cancelled (<see cref="CheckerOptions.Cancellation"/>) before its budget was spent:
    /// <see cref="Runs"/> runs of the session seed were done, none violated anything.</summary>
    public bool Interrupted { get; init; }
}
