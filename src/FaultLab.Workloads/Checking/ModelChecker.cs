using System.Diagnostics;
using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>
/// A randomized model checker for the fault model: many short runs of random process operations on small
/// machines, each checked step by step against an independent oracle and the model's own invariants; the first
/// violation is shrunk to a short, runnable scenario.
/// </summary>
public static class ModelChecker
{
    static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs until <see cref="CheckerOptions.Duration"/> elapses or <see cref="CheckerOptions.MaxRuns"/> runs
    /// are done or <see cref="CheckerOptions.Cancellation"/> is cancelled, or until the first failure (which is then shrunk). Run i uses a seed derived from the session seed
    /// and i (run 0 uses the session seed itself); the failure reports that run's seed.</summary>
    public static CheckResult Run(CheckerOptions options, Action<CheckResult>? progress = null) =>
        Run(options, progress, options.Family.Create);

    /// <summary>The model: a NetBSD family machine.</summary>
    internal static IMachine NetBsdMachine(MachineConfig config) => MachineFamily.NetBsd.Create(config);

    internal static CheckResult Run(CheckerOptions options, Action<CheckResult>? progress,
        Func<MachineConfig, IMachine> factory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.StepsPerRun);
        if (options.Lockstep) factory = LockstepTarget.Over(factory);
        if (options.CrossFamily is { } other) factory = CrossFamilyTarget.Over(factory, other);
        var clock = Stopwatch.StartNew();
        var nextProgress = ProgressInterval;
        long runs = 0, operations = 0;
        while ((options.MaxRuns is not { } max || runs < max) && clock.Elapsed < options.Duration
               && !options.Cancellation.IsCancellationRequested)
        {
            var seed = Prng.RunSeed(options.Seed, runs);
            var run = RunOne(seed, options.StepsPerRun, options.Path, factory, options.Family);
            runs++;
            operations += run.Executed;
            if (run.Violation is not null)
            {
                var failure = Shrink(seed, run.Setup, run.Ops, run.Violation, options.Path, factory);
                return new CheckResult(runs, operations, failure);
            }
            if (progress is not null && clock.Elapsed >= nextProgress)
            {
                progress(new CheckResult(runs, operations, null));
                nextProgress = clock.Elapsed + ProgressInterval;
            }
        }
        return new CheckResult(runs, operations, null) { Interrupted = options.Cancellation.IsCancellationRequested };
    }

    internal sealed record RunRecord(RunSetup Setup, List<Op> Ops, int Executed, Violation? Violation);

    /// <summary>Generates and executes one run; the op list ends with the violating op, if any.</summary>
    /// <param name="family">The family the machines are of: what operations to generate (default: NetBSD's).</param>
    internal static RunRecord RunOne(ulong seed, int steps, FaultPath path, Func<MachineConfig, IMachine> factory,
        MachineFamily? family = null)
    {
        var rng = new Prng(seed);
        var features = family?.Features ?? FamilyFeatures.All;
        var setup = OpGenerator.MakeSetup(rng, features) with
        {
            Family = family is null || family == MachineCatalog.BuiltIn.Default ? null : family.Name,
        };
        var generator = new OpGenerator(rng, setup, features);
        var exec = RunExecutor.Start(setup, path, factory);
        var ops = new List<Op>(steps);
        for (var i = 0; i < steps && exec.Violation is null; i++)
        {
            var op = generator.Next(exec);
            ops.Add(op);
            exec.Step(op);
        }
        return new RunRecord(setup, ops, exec.Executed, exec.Violation);
    }

    /// <summary>Generates one run's setup and operations without checking anything (for tests and tools).</summary>
    internal static RunRecord Generate(ulong seed, int steps, FaultPath path, Func<MachineConfig, IMachine> factory,
        MachineFamily? family = null) =>
        RunOne(seed, steps, path, factory, family);

    internal static CheckFailure Shrink(ulong seed, RunSetup setup, IReadOnlyList<Op> ops, Violation original,
        FaultPath path, Func<MachineConfig, IMachine> factory, int maxAttempts = 4000)
    {
        int? Fails(RunSetup s, IReadOnlyList<Op> candidate)
        {
            var v = RunExecutor.Replay(s, path, factory, candidate).Violation;
            return v is not null && v.Kind == original.Kind ? Math.Min(v.Step + 1, candidate.Count) : null;
        }

        var shrunk = Shrinker.Shrink(ops, c => Fails(setup, c), Simplify, maxAttempts);
        shrunk = WithoutForks(shrunk, c => Fails(setup, c), maxAttempts);

        // Then the header: what the scenario language cannot say, and what the operations do not use.
        var usedProcs = new HashSet<string>(shrunk.Select(o => o.Proc).OfType<string>());
        var usedFiles = new HashSet<string>(shrunk.OfType<MmapOp>().Select(m => m.File).OfType<string>());
        Func<RunSetup, RunSetup>[] simplifications =
        [
            s => s with { PageTablePages = RunSetup.DefaultPageTablePages },
            s => s with { Procs = s.Procs.Where(usedProcs.Contains).ToList() },
            s => s with { Files = s.Files.Where(f => usedFiles.Contains(f.Name)).ToList() },
        ];
        foreach (var simplify in simplifications)
        {
            var next = simplify(setup);
            if (next.PageTablePages == setup.PageTablePages && next.Procs.SequenceEqual(setup.Procs)
                && next.Files.SequenceEqual(setup.Files)) continue;
            if (Fails(next, shrunk) is not null) setup = next;
        }

        // Operations that replay skipped (on processes that no longer exist) would not even parse as a scenario.
        var replay = RunExecutor.Replay(setup, path, factory, shrunk);
        var kept = shrunk.Where((_, i) => i >= replay.Skipped.Count || !replay.Skipped[i]).ToList();
        if (kept.Count < shrunk.Count && Fails(setup, kept) is not null)
        {
            shrunk = kept;
            replay = RunExecutor.Replay(setup, path, factory, shrunk);
        }
        var violation = replay.Violation ?? original;
        return new CheckFailure(seed, violation.ToString(), ToScenario(setup, shrunk, replay, violation));
    }

    /// <summary>Replays a run and prints it as a scenario (for tools and tests).</summary>
    internal static IReadOnlyList<string> ReplayToScenario(RunSetup setup, IReadOnlyList<Op> ops, FaultPath path,
        Func<MachineConfig, IMachine> factory)
    {
        var replay = RunExecutor.Replay(setup, path, factory, ops);
        return ToScenario(setup, ops, replay, replay.Violation);
    }

    /// <summary>
    /// Forks the failure does not need as forks: the generator names every process once, so the shrinker alone can
    /// drop a fork only with everything its child did. Here a fork goes and its child's operations become its
    /// parent's (<c>p1 fork p4; p4 write</c> becomes <c>p1 write</c>), last fork first, each kept only if the run
    /// still fails; what that frees is shrunk again.
    /// </summary>
    internal static List<Op> WithoutForks(List<Op> ops, Func<IReadOnlyList<Op>, int?> fails, int maxAttempts)
    {
        var attempts = 0;
        for (var i = ops.Count - 1; i >= 0 && attempts < maxAttempts; i--)
        {
            if (i >= ops.Count || ops[i] is not ForkOp fork) continue;
            var candidate = ops.Take(i).Concat(ops.Skip(i + 1).Select(o => Renamed(o, fork.Child, fork.P))).ToList();
            attempts++;
            if (fails(candidate) is not { } failing) continue;
            ops = Shrinker.Shrink(candidate.Take(failing).ToList(), fails, Simplify, maxAttempts - attempts);
            i = ops.Count;
        }
        return ops;
    }

    /// <summary>The operation with process <paramref name="from"/> acting as <paramref name="to"/> instead.</summary>
    static Op Renamed(Op op, string from, string to) => op.Proc != from ? op : op switch
    {
        MmapOp m => m with { P = to },
        RangeOp r => r with { P = to },
        MprotectOp m => m with { P = to },
        MadviseOp m => m with { P = to },
        ForkOp f => f with { P = to },
        ExitOp e => e with { P = to },
        ReadOp r => r with { P = to },
        WriteOp w => w with { P = to },
        _ => op,
    };

    /// <summary>Simpler forms of an operation, simplest first.</summary>
    internal static IEnumerable<Op> Simplify(Op op)
    {
        switch (op)
        {
            case MmapOp m:
                if (m.Wired) yield return m with { Wired = false };
                foreach (var n in Fewer(m.Pages)) yield return m with { Pages = n };
                if (m.PgOff != 0) yield return m with { PgOff = 0 };
                break;
            case RangeOp r:
                foreach (var n in Fewer(r.Pages)) yield return r with { Pages = n };
                break;
            case MprotectOp m:
                foreach (var n in Fewer(m.Pages)) yield return m with { Pages = n };
                break;
            case MadviseOp m:
                foreach (var n in Fewer(m.Pages)) yield return m with { Pages = n };
                break;
            case ReadOp r when (r.Addr & 0xfff) != 0:
                yield return r with { Addr = r.Addr & ~0xfffUL };
                break;
            case WriteOp w:
                if ((w.Addr & 0xfff) != 0) yield return w with { Addr = w.Addr & ~0xfffUL };
                if (w.Value != 1) yield return w with { Value = 1 };
                break;
            case PagedaemonOp d:
                foreach (var n in Fewer(d.Pages)) yield return d with { Pages = n };
                break;
        }
    }

    static IEnumerable<int> Fewer(int n)
    {
        if (n > 1) yield return 1;
        if (n > 3) yield return n / 2;
        if (n > 2) yield return n - 1;
    }

    /// <summary>The run as a scenario file: the header, then the operations, each that failed as it should with
    /// its <c>=&gt; ERROR</c> outcome, and the violation as a comment where it happened. Operations the replay
    /// skipped are left out; one the scenario language cannot state (a zero page count) becomes a comment.</summary>
    internal static IReadOnlyList<string> ToScenario(RunSetup setup, IReadOnlyList<Op> ops, RunExecutor replay,
        Violation? violation) => ToScenario(setup, ops, replay.Errors, violation, replay.Skipped);

    internal static IReadOnlyList<string> ToScenario(RunSetup setup, IReadOnlyList<Op> ops,
        IReadOnlyList<Errno?> errors, Violation? violation, IReadOnlyList<bool>? skipped = null)
    {
        var lines = setup.HeaderLines().ToList();
        if (violation is { Step: < 0 }) lines.Add($"# checker: {violation}");
        for (var i = 0; i < ops.Count; i++)
        {
            if (skipped is not null && i < skipped.Count && skipped[i]) continue;
            var text = ops[i].ToScenario();
            var failedAsExpected = i < errors.Count && errors[i] is not null && (violation is null || violation.Step != i);
            if (failedAsExpected) text += $" => {errors[i]}";
            else if (violation is { ReferenceOutcome: { } outcome } && violation.Step == i) text += $" => {outcome}";
            if (ops[i] is MmapOp { Pages: 0 } or RangeOp { Pages: 0 } or MprotectOp { Pages: 0 } or MadviseOp { Pages: 0 })
                text = $"# checker: not expressible (zero page count): {text}";
            lines.Add(text);
            if (violation is not null && violation.Step == i) lines.Add($"# checker: {violation}");
        }
        return lines;
    }
}
