using FaultLab.Core;
using FaultLab.Workloads.Checking;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>
/// A trivially correct stand-in for the model, built on the oracle itself: every access faults, nothing is ever
/// mapped in a pmap. It lets the checker's machinery (generation, replay, shrinking) be tested on its own.
/// </summary>
internal sealed class ReferenceTarget : IMachine
{
    readonly Oracle oracle = new();
    readonly List<OracleFile> files = [];
    readonly Dictionary<int, OracleProcess> procs = [];
    int nextProc;
    long faults, resolved;

    /// <summary>Its family: one outcome (every access that succeeds faults), no count keys but restarts.</summary>
    public static MachineFamily Family { get; } = new("reference", "the checker's oracle as a machine", ["fault"],
        [new AccessKey("restarts", AccessKeySource.Restarts, "always 0")], [], Create);

    MachineFamily IMachine.Family => Family;

    public static IMachine Create(MachineConfig config) => new ReferenceTarget();

    static bool Bad(ulong addr, int n) => (addr & 0xfff) != 0 || n <= 0;

    OracleProcess P(ProcId p) => procs[p.Value];

    public FileId CreateFile(int pages, bool resident)
    {
        files.Add(oracle.AddFile($"f{files.Count}", pages));
        return new FileId(files.Count - 1);
    }

    public ProcId CreateProcess()
    {
        var id = new ProcId(nextProc++);
        procs.Add(id.Value, oracle.AddProcess($"p{id.Value}", id));
        return id;
    }

    public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired)
    {
        if (Bad(addr, npages)) return Errno.EINVAL;
        var vpn = Oracle.Vpn(addr);
        if (Oracle.Cover(P(p), vpn, npages) != Coverage.None) return Errno.EINVAL;
        var f = kind is MapKind.FilePrivate or MapKind.FileShared ? files[file.Value] : null;
        oracle.Map(P(p), vpn, npages, prot, kind, f, pgoff);
        if (wired) Wire(P(p), vpn, npages);
        return Errno.OK;
    }

    public Errno Munmap(ProcId p, ulong addr, int npages)
    {
        if (Bad(addr, npages)) return Errno.EINVAL; // holes and unmapped ranges are fine (sys_munmap)
        oracle.Unmap(P(p), Oracle.Vpn(addr), npages);
        return Errno.OK;
    }

    public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot)
    {
        if (Bad(addr, npages)) return Errno.EINVAL;
        oracle.Protect(P(p), Oracle.Vpn(addr), npages, prot);
        return Errno.OK;
    }

    public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) => Bad(addr, npages) ? Errno.EINVAL : Errno.OK;

    public Errno Mlock(ProcId p, ulong addr, int npages)
    {
        if (Bad(addr, npages) || Oracle.Cover(P(p), Oracle.Vpn(addr), npages) != Coverage.Full
            || oracle.SlotsIn(P(p), Oracle.Vpn(addr), npages).Any(s => s.Prot == Prot.None)) return Errno.EINVAL;
        Wire(P(p), Oracle.Vpn(addr), npages);
        return Errno.OK;
    }

    /// <summary>Wires the range as uvm_fault_wire does: one call of the fault entry point per page it wires.</summary>
    void Wire(OracleProcess p, ulong vpn, int npages)
    {
        faults += oracle.SlotsIn(p, vpn, npages).Count(s => !s.Wired);
        oracle.Lock(p, vpn, npages, succeeded: true);
    }

    public Errno Munlock(ProcId p, ulong addr, int npages)
    {
        if (Bad(addr, npages)) return Errno.EINVAL;
        oracle.Unlock(P(p), Oracle.Vpn(addr), npages);
        return Errno.OK;
    }

    public Errno Loan(ProcId p, ulong addr, int npages) =>
        Bad(addr, npages) ? Errno.EINVAL
        : Oracle.Cover(P(p), Oracle.Vpn(addr), npages) != Coverage.Full ? Errno.ENOENT // uvm_loan's failed lookup
        : Errno.OK;
    public Errno Unloan(ProcId p, ulong addr, int npages) => Bad(addr, npages) ? Errno.EINVAL : Errno.OK;
    public Errno Pageout(ProcId p, ulong addr, int npages) => Bad(addr, npages) ? Errno.EINVAL : Errno.OK;

    public Errno Fork(ProcId parent, out ProcId child)
    {
        child = new ProcId(nextProc++);
        procs.Add(child.Value, oracle.Fork(P(parent), $"p{child.Value}", child));
        return Errno.OK;
    }

    public Errno Exit(ProcId p)
    {
        oracle.Exit(P(p));
        procs.Remove(p.Value);
        return Errno.OK;
    }

    AccessResult Access(ProcId p, ulong addr, Prot needed, byte value)
    {
        faults++;
        var s = Oracle.SlotAt(P(p), addr);
        if (s is null || (s.Prot & needed) != needed) return new(Errno.EFAULT, Outcome.Failed, 0, 0, Prot.None, 0);
        if (needed == Prot.ReadWrite) Oracle.Write(s, Oracle.Offset(addr), value);
        resolved++;
        return new(Errno.OK, Outcome.Fault(0), 0, 0, s.Prot, s.Primary.Get(Oracle.Offset(addr)));
    }

    public AccessResult Read(ProcId p, ulong addr) => Access(p, addr, Prot.Read, 0);
    public AccessResult Write(ProcId p, ulong addr, byte value) => Access(p, addr, Prot.ReadWrite, value);
    public int PageDaemon(int npages) => 0;
    public long Counter(int index) => (CommonCounter)index switch
    {
        CommonCounter.Faults => faults,
        CommonCounter.Resolved or CommonCounter.Entered or CommonCounter.Minor => resolved,
        _ => 0,
    };
    public MachineConfig Config { get; } = new();
    public int CountMapped(ProcId p, ulong addr, int npages) => 0; // nothing is ever mapped in a pmap
    public int FreePages => 0;
    public void ResetCounters() => faults = resolved = 0;
    public Prot MappedProt(ProcId p, ulong addr) => Prot.None;

    public int CountWired(ProcId p, ulong addr, int npages) =>
        oracle.SlotsIn(P(p), Oracle.Vpn(addr), npages).Count(s => s.Wired && s.Prot != Prot.None);

    public int CountResident(ProcId p, ulong addr, int npages) =>
        oracle.SlotsIn(P(p), Oracle.Vpn(addr), npages).Count();

    public bool TryPeek(ProcId p, ulong addr, out byte value)
    {
        var s = Oracle.SlotAt(P(p), addr);
        var ok = s is not null && (s.Prot & Prot.Read) != 0;
        value = ok ? s!.Primary.Get(Oracle.Offset(addr)) : (byte)0;
        return ok;
    }

    public IReadOnlyList<string> CheckInvariants() => [];
    public bool IsAlive(ProcId p) => procs.ContainsKey(p.Value);
    public ulong Fingerprint() => 0;
}

/// <summary>A deliberately broken target: reads by forked children of non-zero bytes come back with bit 0 flipped.</summary>
internal sealed class ChildReadFlipper(IMachine inner) : MachineWrapper(inner)
{
    readonly HashSet<ProcId> children = [];

    public override Errno Fork(ProcId parent, out ProcId child)
    {
        var e = Inner.Fork(parent, out child);
        if (e == Errno.OK) children.Add(child);
        return e;
    }

    public override AccessResult Read(ProcId p, ulong addr)
    {
        var r = Inner.Read(p, addr);
        return r.Ok && r.Value != 0 && children.Contains(p) ? r with { Value = (byte)(r.Value ^ 1) } : r;
    }
}

/// <summary>A machine that passes every call to <see cref="Inner"/>: the base of the deliberately broken targets.</summary>
internal abstract class MachineWrapper(IMachine inner) : IMachine
{
    protected IMachine Inner { get; } = inner;

    public virtual FileId CreateFile(int pages, bool resident) => Inner.CreateFile(pages, resident);
    public virtual ProcId CreateProcess() => Inner.CreateProcess();
    public virtual Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired) =>
        Inner.Mmap(p, addr, npages, prot, kind, file, pgoff, wired);
    public virtual Errno Munmap(ProcId p, ulong addr, int npages) => Inner.Munmap(p, addr, npages);
    public virtual Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) => Inner.Mprotect(p, addr, npages, prot);
    public virtual Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) => Inner.Madvise(p, addr, npages, advice);
    public virtual Errno Mlock(ProcId p, ulong addr, int npages) => Inner.Mlock(p, addr, npages);
    public virtual Errno Munlock(ProcId p, ulong addr, int npages) => Inner.Munlock(p, addr, npages);
    public virtual Errno Loan(ProcId p, ulong addr, int npages) => Inner.Loan(p, addr, npages);
    public virtual Errno Unloan(ProcId p, ulong addr, int npages) => Inner.Unloan(p, addr, npages);
    public virtual Errno Fork(ProcId parent, out ProcId child) => Inner.Fork(parent, out child);
    public virtual Errno Exit(ProcId p) => Inner.Exit(p);
    public virtual AccessResult Read(ProcId p, ulong addr) => Inner.Read(p, addr);
    public virtual AccessResult Write(ProcId p, ulong addr, byte value) => Inner.Write(p, addr, value);
    public virtual Errno Pageout(ProcId p, ulong addr, int npages) => Inner.Pageout(p, addr, npages);
    public virtual int PageDaemon(int npages) => Inner.PageDaemon(npages);
    public MachineFamily Family => Inner.Family;
    public long Counter(int index) => Inner.Counter(index);
    public MachineConfig Config => Inner.Config;
    public int CountMapped(ProcId p, ulong addr, int npages) => Inner.CountMapped(p, addr, npages);
    public int FreePages => Inner.FreePages;
    public void ResetCounters() => Inner.ResetCounters();
    public Prot MappedProt(ProcId p, ulong addr) => Inner.MappedProt(p, addr);
    public int CountWired(ProcId p, ulong addr, int npages) => Inner.CountWired(p, addr, npages);
    public int CountResident(ProcId p, ulong addr, int npages) => Inner.CountResident(p, addr, npages);
    public bool TryPeek(ProcId p, ulong addr, out byte value) => Inner.TryPeek(p, addr, out value);
    public IReadOnlyList<string> CheckInvariants() => Inner.CheckInvariants();
    public ulong Fingerprint() => Inner.Fingerprint();
    public bool IsAlive(ProcId p) => Inner.IsAlive(p);
}
