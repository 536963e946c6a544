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
internal sealed class ShadowReadFlipper(IMachine inner) : IMachine
{
    static readonly Outcome Shadow = Outcome.Fault(FreeBsdFamily.Outcomes.ToList().IndexOf("shadow"));

    public AccessResult Read(ProcId p, ulong addr)
    {
        var r = inner.Read(p, addr);
        return r.Ok && r.Outcome == Shadow ? r with { Value = (byte)(r.Value + 1) } : r;
    }

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
    public AccessResult Write(ProcId p, ulong addr, byte value) => inner.Write(p, addr, value);
    public Errno Pageout(ProcId p, ulong addr, int npages) => inner.Pageout(p, addr, npages);
    public int PageDaemon(int npages) => inner.PageDaemon(npages);
    public MachineFamily Family => inner.Family;
    public long Counter(int index) => inner.Counter(index);
    public MachineConfig Config => inner.Config;
    public int CountMapped(ProcId p, ulong addr, int npages) => inner.CountMapped(p, addr, npages);
    public int FreePages => inner.FreePages;
    public void ResetCounters() => inner.ResetCounters();
    public Prot MappedProt(ProcId p, ulong addr) => inner.MappedProt(p, addr);
    public int CountWired(ProcId p, ulong addr, int npages) => inner.CountWired(p, addr, npages);
    public int CountResident(ProcId p, ulong addr, int npages) => inner.CountResident(p, addr, npages);
    public bool TryPeek(ProcId p, ulong addr, out byte value) => inner.TryPeek(p, addr, out value);
    public IReadOnlyList<string> CheckInvariants() => inner.CheckInvariants();
    public ulong Fingerprint() => inner.Fingerprint();
    public bool IsAlive(ProcId p) => inner.IsAlive(p);
}
