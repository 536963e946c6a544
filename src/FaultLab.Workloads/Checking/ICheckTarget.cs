using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>
/// What the checker drives: the model's process operations and inspection calls. <see cref="MachineTarget"/> is
/// the real model; tests substitute broken ones to prove that the checker notices.
/// </summary>
internal interface ICheckTarget
{
    FileId CreateFile(int pages, bool resident);
    ProcId CreateProcess();
    Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired);
    Errno Munmap(ProcId p, ulong addr, int npages);
    Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot);
    Errno Madvise(ProcId p, ulong addr, int npages, Advice advice);
    Errno Mlock(ProcId p, ulong addr, int npages);
    Errno Munlock(ProcId p, ulong addr, int npages);
    Errno Loan(ProcId p, ulong addr, int npages);
    Errno Unloan(ProcId p, ulong addr, int npages);
    Errno Fork(ProcId parent, out ProcId child);
    Errno Exit(ProcId p);
    AccessResult Read(ProcId p, ulong addr);
    AccessResult Write(ProcId p, ulong addr, byte value);
    Errno Pageout(ProcId p, ulong addr, int npages);
    int PageDaemon(int npages);
    Counters Counters { get; }
    void ResetCounters();
    Prot MappedProt(ProcId p, ulong addr);
    int CountWired(ProcId p, ulong addr, int npages);
    int CountResident(ProcId p, ulong addr, int npages);
    bool TryPeek(ProcId p, ulong addr, out byte value);
    IReadOnlyList<string> CheckInvariants();
    bool IsAlive(ProcId p);
    /// <summary>A hash of everything observable (<see cref="Machine.Fingerprint"/>); lockstep runs compare it.</summary>
    ulong Fingerprint();
}

/// <summary>The real model.</summary>
internal sealed class MachineTarget(Machine machine) : ICheckTarget
{
    public static ICheckTarget Create(MachineConfig config) => new MachineTarget(new Machine(config));

    public FileId CreateFile(int pages, bool resident) => machine.CreateFile(pages, resident);
    public ProcId CreateProcess() => machine.CreateProcess();
    public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired) =>
        machine.Mmap(p, addr, npages, prot, kind, file, pgoff, wired);
    public Errno Munmap(ProcId p, ulong addr, int npages) => machine.Munmap(p, addr, npages);
    public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) => machine.Mprotect(p, addr, npages, prot);
    public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) => machine.Madvise(p, addr, npages, advice);
    public Errno Mlock(ProcId p, ulong addr, int npages) => machine.Mlock(p, addr, npages);
    public Errno Munlock(ProcId p, ulong addr, int npages) => machine.Munlock(p, addr, npages);
    public Errno Loan(ProcId p, ulong addr, int npages) => machine.Loan(p, addr, npages);
    public Errno Unloan(ProcId p, ulong addr, int npages) => machine.Unloan(p, addr, npages);
    public Errno Fork(ProcId parent, out ProcId child) => machine.Fork(parent, out child);
    public Errno Exit(ProcId p) => machine.Exit(p);
    public AccessResult Read(ProcId p, ulong addr) => machine.Read(p, addr);
    public AccessResult Write(ProcId p, ulong addr, byte value) => machine.Write(p, addr, value);
    public Errno Pageout(ProcId p, ulong addr, int npages) => machine.Pageout(p, addr, npages);
    public int PageDaemon(int npages) => machine.PageDaemon(npages);
    public Counters Counters => machine.Counters;
    public void ResetCounters() => machine.ResetCounters();
    public Prot MappedProt(ProcId p, ulong addr) => machine.MappedProt(p, addr);
    public int CountWired(ProcId p, ulong addr, int npages) => machine.CountWired(p, addr, npages);
    public int CountResident(ProcId p, ulong addr, int npages) => machine.CountResident(p, addr, npages);
    public bool TryPeek(ProcId p, ulong addr, out byte value) => machine.TryPeek(p, addr, out value);
    public IReadOnlyList<string> CheckInvariants() => machine.CheckInvariants();
    public bool IsAlive(ProcId p) => machine.IsAlive(p);
    public ulong Fingerprint() => machine.Fingerprint();
}
