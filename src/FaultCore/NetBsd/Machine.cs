namespace FaultLab.Core;

/// <summary>
/// One simulated machine: physical memory of real 4 KiB frames, swap, files, and processes with their maps
/// and pmaps. Processes act through the operations below (the system calls and the accesses); the fault
/// handler is reached only through <see cref="Read"/>, <see cref="Write"/>, <see cref="Mlock"/> and
/// <see cref="Loan"/>. Nothing here throws for bad input: every impossible request gets its errno.
/// </summary>
public sealed partial class Machine : IMachine
{
    public MachineConfig Config { get; }

    /// <summary>The NetBSD family.</summary>
    public MachineFamily Family => UvmFamily.Instance;

    /// <summary>The system-wide counters (SEMANTICS.md, "Counters"), by their 1.208 names.</summary>
    public ref readonly UvmCounters Counters => ref counters;

    /// <summary>The counter at that index of the family's <see cref="MachineFamily.Counters"/>.</summary>
    public long Counter(int index) =>
        index < MachineFamily.CommonCounters.Count ? counters.Get((CommonCounter)index) : counters.Get(Family.Counters[index]);

    /// <summary>Sets every counter to zero.</summary>
    public void ResetCounters() => counters = default;

    /// <summary>A file of <paramref name="pages"/> pages; byte k of page i holds (i + k) &amp; 0xff.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Beyond <see cref="MachineConfig.MaxFilePages"/> (one file or
    /// all files together).</exception>
    public FileId CreateFile(int pages, bool resident) =>
        MachineConfig.FileProblem(pages, Objects.Sum(o => (long)(o?.NPages ?? 0))) is { } problem
            ? throw new ArgumentOutOfRangeException(nameof(pages), problem)
            : CreateFileImpl(pages, resident);

    /// <summary>A new process with an empty address space.</summary>
    public ProcId CreateProcess() => CreateProcessImpl();

    /// <summary>Maps <paramref name="npages"/> pages at the fixed page-aligned <paramref name="addr"/>.</summary>
    public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind,
        FileId file = default, long pgoff = 0, bool wired = false) =>
        MmapImpl(p, addr, npages, prot, kind, file, pgoff, wired);

    public Errno Munmap(ProcId p, ulong addr, int npages) => MunmapImpl(p, addr, npages);
    public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) => MprotectImpl(p, addr, npages, prot);
    public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) => MadviseImpl(p, addr, npages, advice);
    public Errno Mlock(ProcId p, ulong addr, int npages) => MlockImpl(p, addr, npages);
    public Errno Munlock(ProcId p, ulong addr, int npages) => MunlockImpl(p, addr, npages);

    /// <summary>Lends the pages behind the range to the kernel (faulting them in first).</summary>
    public Errno Loan(ProcId p, ulong addr, int npages) => LoanImpl(p, addr, npages);

    /// <summary>Ends the kernel's loan of the pages lent for that range.</summary>
    public Errno Unloan(ProcId p, ulong addr, int npages) => UnloanImpl(p, addr, npages);

    public Errno Fork(ProcId parent, out ProcId child) => ForkImpl(parent, out child);
    public Errno Exit(ProcId p) => ExitImpl(p);

    /// <summary>A byte read at <paramref name="addr"/>: a pmap hit, or one call of the fault entry point.</summary>
    public AccessResult Read(ProcId p, ulong addr) => AccessImpl(p, addr, Prot.Read, 0);

    /// <summary>A byte written at <paramref name="addr"/>: a pmap hit, or one call of the fault entry point.</summary>
    public AccessResult Write(ProcId p, ulong addr, byte value) => AccessImpl(p, addr, Prot.Write, value);

    /// <summary>Pages out what is behind the range (SEMANTICS.md, "pageout").</summary>
    public Errno Pageout(ProcId p, ulong addr, int npages) => PageoutImpl(p, addr, npages);

    /// <summary>Runs the page daemon until it freed <paramref name="npages"/> pages or can free no more.</summary>
    /// <returns>The number of pages freed.</returns>
    public int PageDaemon(int npages) => PageDaemonImpl(npages);

    // ---- inspection: never faults, never changes state ----

    /// <summary>Pages of the range that have a pmap mapping.</summary>
    public int CountMapped(ProcId p, ulong addr, int npages) => CountMappedImpl(p, addr, npages);

    /// <summary>Pages of the range whose data is in memory (mincore).</summary>
    public int CountResident(ProcId p, ulong addr, int npages) => CountResidentImpl(p, addr, npages);

    /// <summary>Pages of the range that are mapped wired.</summary>
    public int CountWired(ProcId p, ulong addr, int npages) => CountWiredImpl(p, addr, npages);

    /// <summary>The pmap protection at <paramref name="addr"/> (None when there is no mapping).</summary>
    public Prot MappedProt(ProcId p, ulong addr) => MappedProtImpl(p, addr);

    /// <summary>The byte a read would return, looked up without faulting; false where a read would fail.</summary>
    public bool TryPeek(ProcId p, ulong addr, out byte value) => TryPeekImpl(p, addr, out value);

    /// <summary>Checks the model's invariants; returns one line per violation (empty when all hold).</summary>
    public IReadOnlyList<string> CheckInvariants() => CheckInvariantsImpl();

    /// <summary>A hash of the observable state: pmaps, page contents seen by each process, counters.</summary>
    public ulong Fingerprint() => FingerprintImpl();

    /// <summary>Free page frames.</summary>
    public int FreePages => FreePagesImpl;

    public bool IsAlive(ProcId p) => IsAliveImpl(p);
}
