namespace FaultLab.Core;

/// <summary>
/// A simulated machine of the FreeBSD 1995 family (vm_fault.c 1.32): the same frames, swap, pmap, files and page
/// daemon clock as the NetBSD family, with Mach's shadow-object chains behind the maps. The fault handler is reached
/// through <see cref="Read"/>, <see cref="Write"/> and <see cref="Mlock"/>. Nothing here throws for bad input:
/// every impossible request gets its errno.
/// </summary>
public sealed partial class FreeBsdMachine : IMachine
{
    public MachineConfig Config { get; }

    /// <summary>The FreeBSD family.</summary>
    public MachineFamily Family => FreeBsdFamily.Instance;

    /// <summary>The system-wide counters (SEMANTICS-FREEBSD.md), by their 1995 names.</summary>
    internal ref readonly FbsdCounters Counters => ref counters;

    /// <summary>The counter at that index of the family's <see cref="MachineFamily.Counters"/>.</summary>
    public long Counter(int index) =>
        index < MachineFamily.CommonCounters.Count ? counters.Get((CommonCounter)index) : counters.Get(Family.Counters[index]);

    /// <summary>Sets every counter to zero.</summary>
    public void ResetCounters() => counters = default;

    /// <summary>A file of <paramref name="pages"/> pages; byte k of page i holds (i + k) &amp; 0xff.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Beyond <see cref="MachineConfig.MaxFilePages"/>.</exception>
    public FileId CreateFile(int pages, bool resident) =>
        MachineConfig.FileProblem(pages, Vnodes.Sum(v => (long)(v?.File.NPages ?? 0))) is { } problem
            ? throw new ArgumentOutOfRangeException(nameof(pages), problem)
            : CreateFileImpl(pages, resident);

    public ProcId CreateProcess() => CreateProcessImpl();

    public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind,
        FileId file = default, long pgoff = 0, bool wired = false) =>
        MmapImpl(p, addr, npages, prot, kind, file, pgoff, wired);

    public Errno Munmap(ProcId p, ulong addr, int npages) => MunmapImpl(p, addr, npages);
    public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) => MprotectImpl(p, addr, npages, prot);

    /// <summary>1995's madvise is a stub: EOPNOTSUPP (after the argument checks).</summary>
    public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) =>
        LiveProc(p) is null || !ValidRange(addr, npages) || advice > Advice.Sequential ? Errno.EINVAL : Errno.EOPNOTSUPP;

    public Errno Mlock(ProcId p, ulong addr, int npages) => MlockImpl(p, addr, npages);
    public Errno Munlock(ProcId p, ulong addr, int npages) => MunlockImpl(p, addr, npages);

    /// <summary>No page loaning in this family: EOPNOTSUPP.</summary>
    public Errno Loan(ProcId p, ulong addr, int npages) => Errno.EOPNOTSUPP;

    /// <summary>No page loaning in this family: EOPNOTSUPP.</summary>
    public Errno Unloan(ProcId p, ulong addr, int npages) => Errno.EOPNOTSUPP;

    public Errno Fork(ProcId parent, out ProcId child) => ForkImpl(parent, out child);
    public Errno Exit(ProcId p) => ExitImpl(p);

    public AccessResult Read(ProcId p, ulong addr) => AccessImpl(p, addr, Prot.Read, 0);
    public AccessResult Write(ProcId p, ulong addr, byte value) => AccessImpl(p, addr, Prot.Write, value);

    public Errno Pageout(ProcId p, ulong addr, int npages) => PageoutImpl(p, addr, npages);

    /// <summary>Runs the page daemon until it freed <paramref name="npages"/> pages or can free no more.</summary>
    public int PageDaemon(int npages) => PageDaemonImpl(npages);

    public int CountMapped(ProcId p, ulong addr, int npages) => CountMappedImpl(p, addr, npages);
    public int CountResident(ProcId p, ulong addr, int npages) => CountResidentImpl(p, addr, npages);
    public int CountWired(ProcId p, ulong addr, int npages) => CountWiredImpl(p, addr, npages);
    public Prot MappedProt(ProcId p, ulong addr) => MappedProtImpl(p, addr);
    public bool TryPeek(ProcId p, ulong addr, out byte value) => TryPeekImpl(p, addr, out value);
    public IReadOnlyList<string> CheckInvariants() => new FbsdInvariantChecker(this).Run();
    public ulong Fingerprint() => FingerprintImpl();
    public int FreePages => Mem.FreeCount;
    public bool IsAlive(ProcId p) => LiveProc(p) is not null;
}
