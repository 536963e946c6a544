using FaultLab.Core;
using FaultLab.Workloads.Checking;
using FaultLab.Workloads.Scenarios;
using Xunit.Abstractions;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>
/// Lockstep runs (<see cref="CheckerOptions.Lockstep"/>): the three fault paths of the real model agree on a fixed
/// set of seeds, and a difference planted in one path — in a result, the counters, the invariants or the state —
/// is caught, named and shrunk to a short scenario.
/// </summary>
public class LockstepTests(ITestOutputHelper output)
{
    const int Steps = 300;

    public static TheoryData<ulong> Seeds => new(Enumerable.Range(1, 10).Select(i => (ulong)i));

    static CheckerOptions Lockstep(ulong seed, int runs = 1, int steps = Steps) =>
        new() { Seed = seed, MaxRuns = runs, StepsPerRun = steps, Duration = TimeSpan.MaxValue, Lockstep = true };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_three_paths_agree_on_a_fixed_seed(ulong seed)
    {
        var result = ModelChecker.Run(Lockstep(seed));

        if (result.Failure is { } f) output.WriteLine($"seed {f.Seed}: {f.Violation}\n{string.Join("\n", f.ShrunkOperations)}");
        Assert.Null(result.Failure);
        Assert.Equal(1, result.Runs);
        Assert.True(result.Operations > Steps / 2, $"{result.Operations} operations");
    }

    [Fact]
    public void Every_path_gets_a_machine_whatever_path_the_options_name()
    {
        var seen = new List<FaultPath>();
        var result = ModelChecker.Run(Lockstep(1, steps: 20) with { Path = FaultPath.Monomorphized }, null, config =>
        {
            seen.Add(config.Path);
            return ModelChecker.NetBsdMachine(config);
        });

        Assert.Null(result.Failure);
        Assert.Equal([FaultPath.Generic, FaultPath.Specialized, FaultPath.Monomorphized], seen);
    }

    [Fact]
    public void A_different_result_on_one_path_is_caught_and_shrunk_to_a_scenario_that_states_the_reference()
    {
        // The specialized path claims one restart more on every 2B write fault.
        var failure = Find(FaultPath.Specialized, inner => new Perturbed(inner)
        {
            Write = r => r.Ok && r.Case == FaultCase.Lower2B ? r with { Restarts = r.Restarts + 1 } : r,
        });

        Assert.StartsWith("step ", failure.Violation);
        Assert.Contains("divergence", failure.Violation);
        Assert.Matches(@"result: generic, monomorphized: 2B restarts=(\d+) .*; specialized: 2B restarts=", failure.Violation);
        var ops = Operations(failure);
        Assert.Equal(2, ops.Count);
        Assert.Matches(@"^p1 mmap ", ops[0]);
        // The write that differs states what the generic path did, so the scenario checks it on any path.
        var write = Assert.Single(ops, l => l.Contains(" write ", StringComparison.Ordinal));
        Assert.Matches(@" => 2B restarts=\d+ neighbors=\d+ prot=rw$", write);
        Assert.Contains("# checker: step ", failure.ShrunkOperations[^1]);

        // The shrunk scenario runs, and holds, on every real path.
        var scenario = ScenarioParser.Parse("divergence.flt", string.Join("\n", failure.ShrunkOperations) + "\n");
        Assert.True(scenario.IsValid, string.Join("\n", scenario.Errors));
        foreach (var path in Enum.GetValues<FaultPath>())
            Assert.True(ScenarioRunner.Run(scenario, path).Passed, $"on {path}");
    }

    [Fact]
    public void A_different_state_with_equal_results_is_caught_by_the_fingerprint()
    {
        var failure = Find(FaultPath.Monomorphized, inner => new Perturbed(inner)
        {
            Fingerprint = f => inner.Counter("fltamcopy") > 0 ? f ^ 1 : f,
        });

        Assert.Contains("divergence", failure.Violation);
        Assert.Contains("fingerprint: generic, specialized: 0x", failure.Violation);
        Assert.Contains("; monomorphized: 0x", failure.Violation);
        Assert.InRange(Operations(failure).Count, 1, 5);
    }

    [Fact]
    public void Different_counters_are_caught_and_named()
    {
        var failure = Find(FaultPath.Specialized, inner => new Perturbed(inner)
        {
            Counter = (i, v) => inner.Family.Counters[i] == "flt_przero" ? v * 2 : v,
        });

        Assert.Contains("divergence", failure.Violation);
        Assert.Matches(@"counter flt_przero: generic, monomorphized: (\d+); specialized: \d+", failure.Violation);
        Assert.InRange(Operations(failure).Count, 1, 5); // a wired mmap alone zero-fills
    }

    [Fact]
    public void Different_invariant_findings_are_caught()
    {
        var failure = Find(FaultPath.Monomorphized, inner => new Perturbed(inner)
        {
            Invariants = l => inner.CountWired(new ProcId(1), RunExecutor.WindowFirstVpn << 12, RunExecutor.WindowPages) > 0
                ? [.. l, "planted: wired page"] : l,
        });

        Assert.Contains("divergence", failure.Violation);
        Assert.Contains("invariant violations: generic, specialized: none; monomorphized: planted: wired page", failure.Violation);
    }

    [Fact]
    public void An_exception_on_one_path_only_is_a_divergence()
    {
        var failure = Find(FaultPath.Specialized, inner => new Perturbed(inner)
        {
            Write = r => r.Case == FaultCase.Upper1B ? throw new InvalidOperationException("planted") : r,
        });

        Assert.Contains("divergence", failure.Violation);
        Assert.Contains("specialized: threw InvalidOperationException: planted", failure.Violation);
    }

    [Fact]
    public void The_reported_seed_reproduces_the_same_shrunk_divergence()
    {
        static IMachine Factory(MachineConfig config) => config.Path == FaultPath.Specialized
            ? new Perturbed(ModelChecker.NetBsdMachine(config)) { Write = r => r.Ok && r.Case == FaultCase.Lower2B ? r with { Detail0 = 99 } : r }
            : ModelChecker.NetBsdMachine(config);
        var first = Assert.IsType<CheckFailure>(ModelChecker.Run(Lockstep(7, runs: 10, steps: 200), null, Factory).Failure);

        var again = Assert.IsType<CheckFailure>(ModelChecker.Run(Lockstep(first.Seed, steps: 200), null, Factory).Failure);

        Assert.Equal(first.Seed, again.Seed);
        Assert.Equal(first.Violation, again.Violation);
        Assert.Equal(first.ShrunkOperations, again.ShrunkOperations);
    }

    /// <summary>Runs lockstep sessions in which <paramref name="path"/>'s machine is wrapped by
    /// <paramref name="perturb"/>, and returns the (shrunk) failure.</summary>
    CheckFailure Find(FaultPath path, Func<IMachine, IMachine> perturb)
    {
        var result = ModelChecker.Run(Lockstep(11, runs: 10, steps: 200), null, config =>
            config.Path == path ? perturb(ModelChecker.NetBsdMachine(config)) : ModelChecker.NetBsdMachine(config));

        var failure = Assert.IsType<CheckFailure>(result.Failure);
        output.WriteLine($"{failure.Violation}\n{string.Join("\n", failure.ShrunkOperations)}");
        return failure;
    }

    static List<string> Operations(CheckFailure failure) =>
        failure.ShrunkOperations.Where(l => !l.StartsWith('#') && !l.StartsWith("machine ", StringComparison.Ordinal)
            && !l.StartsWith("file ", StringComparison.Ordinal) && !l.StartsWith("proc ", StringComparison.Ordinal)).ToList();
}

/// <summary>The real model with some of its answers changed: one lane of a lockstep run gone wrong.</summary>
internal sealed class Perturbed(IMachine inner) : IMachine
{
    public Func<AccessResult, AccessResult> Write { get; init; } = r => r;
    public Func<ulong, ulong> Fingerprint { get; init; } = f => f;
    /// <summary>Changes a counter's value: (family counter index, value) to the value reported.</summary>
    public Func<int, long, long> Counter { get; init; } = (_, v) => v;
    public Func<IReadOnlyList<string>, IReadOnlyList<string>> Invariants { get; init; } = l => l;

    public FileId CreateFile(int pages, bool resident) => inner.CreateFile(pages, resident);
    public ProcId CreateProcess() => inner.CreateProcess();
    public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired) =>
        inner.Mmap(p, addr, npages, prot, kind, file, pgoff, wired);
    public Errno Munmap(ProcId p, ulong addr, int npages) => inner.Munmap(p, addr, npages);
    public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) => inner.Mprotect(p, addr, npages, prot);
    public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) => inner.Madvise(p, addr, npages, advice);
    public Errno Mlock(ProcId p, ulong addr, int npages) => inner.Mlock(p, addr, npages);
    public Errno Munlock(ProcId p, ulong addr, int npages) => inner.Munlock(p, addr, npages);
    public Errno Loan(ProcId p, ulong addr, int npages) => inner.Loan(p, addr, npages);
    public Errno Unloan(ProcId p, ulong addr, int npages) => inner.Unloan(p, addr, npages);
    public Errno Fork(ProcId parent, out ProcId child) => inner.Fork(parent, out child);
    public Errno Exit(ProcId p) => inner.Exit(p);
    public AccessResult Read(ProcId p, ulong addr) => inner.Read(p, addr);
    AccessResult IMachine.Write(ProcId p, ulong addr, byte value) => Write(inner.Write(p, addr, value));
    public Errno Pageout(ProcId p, ulong addr, int npages) => inner.Pageout(p, addr, npages);
    public int PageDaemon(int npages) => inner.PageDaemon(npages);
    public MachineFamily Family => inner.Family;
    long IMachine.Counter(int index) => Counter(index, inner.Counter(index));
    public MachineConfig Config => inner.Config;
    public int CountMapped(ProcId p, ulong addr, int npages) => inner.CountMapped(p, addr, npages);
    public int FreePages => inner.FreePages;
    public void ResetCounters() => inner.ResetCounters();
    public Prot MappedProt(ProcId p, ulong addr) => inner.MappedProt(p, addr);
    public int CountWired(ProcId p, ulong addr, int npages) => inner.CountWired(p, addr, npages);
    public int CountResident(ProcId p, ulong addr, int npages) => inner.CountResident(p, addr, npages);
    public bool TryPeek(ProcId p, ulong addr, out byte value) => inner.TryPeek(p, addr, out value);
    public IReadOnlyList<string> CheckInvariants() => Invariants(inner.CheckInvariants());
    public bool IsAlive(ProcId p) => inner.IsAlive(p);
    ulong IMachine.Fingerprint() => Fingerprint(inner.Fingerprint());
}
