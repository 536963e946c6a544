using FaultLab.Core;

namespace FaultLab.Workloads.Tests.Families;

/// <summary>
/// A second family in a few dozen lines, to prove the seam: anonymous memory only, private pages copied at fork
/// (no copy-on-write), a pmap that is a set of entered pages. It has two outcomes (<c>zero</c>: the page was
/// zero-filled; <c>soft</c>: it was there) and one counter of its own.
/// </summary>
internal sealed class ToyMachine(MachineConfig config) : IMachine
{
    public static MachineFamily Family { get; } = new("toy", "anonymous memory, private pages copied at fork",
        outcomes: ["zero", "soft"],
        keys: [new AccessKey("restarts", AccessKeySource.Restarts, "never any")],
        ownCounters: ["toy_fork_copies"],
        create: c => new ToyMachine(c),
        features: FamilyFeatures.None);

    const int PageSize = MachineConfig.PageBytes;

    /// <summary>A page of anonymous memory: null bytes until the first fault zero-fills it.</summary>
    sealed class Anon(byte[]? bytes = null)
    {
        public byte[]? Bytes = bytes;
    }

    /// <summary>A page of a process's mapping; a shared mapping's processes share its anon.</summary>
    sealed class Slot(Prot prot, bool shared, Anon anon)
    {
        public Prot Prot = prot;
        public readonly bool Shared = shared;
        public readonly Anon Anon = anon;
        public byte[]? Page => Anon.Bytes;
    }

    sealed class Proc
    {
        public readonly SortedDictionary<ulong, Slot> Slots = [];
        public readonly Dictionary<ulong, Prot> Entered = [];   // the pmap
    }

    readonly List<Proc?> procs = [null];    // ProcId 0 is no process
    long faults, resolved, zerofills, forkCopies;

    MachineFamily IMachine.Family => Family;
    public MachineConfig Config => config;

    Proc? P(ProcId p) => p.Value > 0 && p.Value < procs.Count ? procs[p.Value] : null;
    static bool Bad(ulong addr, int n) => (addr % PageSize) != 0 || n <= 0;
    static IEnumerable<ulong> Vpns(ulong addr, int n) => Enumerable.Range(0, n).Select(i => addr / PageSize + (ulong)i);

    public FileId CreateFile(int pages, bool resident) => default; // no files in this family

    public ProcId CreateProcess()
    {
        procs.Add(new Proc());
        return new ProcId(procs.Count - 1);
    }

    public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file = default, long pgoff = 0, bool wired = false)
    {
        if (P(p) is not { } proc || Bad(addr, npages) || kind is not (MapKind.AnonPrivate or MapKind.AnonShared) || wired
            || Vpns(addr, npages).Any(proc.Slots.ContainsKey))
            return Errno.EINVAL;
        foreach (var vpn in Vpns(addr, npages))
            proc.Slots[vpn] = new Slot(prot, kind == MapKind.AnonShared, new Anon());
        return Errno.OK;
    }

    public Errno Munmap(ProcId p, ulong addr, int npages) => Range(p, addr, npages, (proc, vpn) => proc.Slots.Remove(vpn));

    public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) =>
        Range(p, addr, npages, (proc, vpn) => { if (proc.Slots.TryGetValue(vpn, out var s)) s.Prot = prot; });

    /// <summary>Applies <paramref name="change"/> to each page of the range; every page of it leaves the pmap.</summary>
    Errno Range(ProcId p, ulong addr, int npages, Action<Proc, ulong> change)
    {
        if (P(p) is not { } proc || Bad(addr, npages))
            return Errno.EINVAL;
        foreach (var vpn in Vpns(addr, npages))
        {
            proc.Entered.Remove(vpn);
            change(proc, vpn);
        }
        return Errno.OK;
    }

    public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) => P(p) is null || Bad(addr, npages) ? Errno.EINVAL : Errno.OK;
    public Errno Mlock(ProcId p, ulong addr, int npages) => Errno.EINVAL;
    public Errno Munlock(ProcId p, ulong addr, int npages) => Errno.EINVAL;
    public Errno Loan(ProcId p, ulong addr, int npages) => Errno.EINVAL;
    public Errno Unloan(ProcId p, ulong addr, int npages) => Errno.EINVAL;
    public Errno Pageout(ProcId p, ulong addr, int npages) => Errno.EINVAL;

    public Errno Fork(ProcId parent, out ProcId child)
    {
        child = default;
        if (P(parent) is not { } from)
            return Errno.EINVAL;
        child = CreateProcess();
        var to = procs[child.Value]!;
        foreach (var (vpn, s) in from.Slots)
        {
            var copy = !s.Shared && s.Page is not null;
            forkCopies += copy ? 1 : 0;
            to.Slots[vpn] = new Slot(s.Prot, s.Shared, s.Shared ? s.Anon : new Anon(copy ? (byte[])s.Page!.Clone() : null));
        }
        return Errno.OK;
    }

    public Errno Exit(ProcId p)
    {
        if (P(p) is null)
            return Errno.EINVAL;
        procs[p.Value] = null;
        return Errno.OK;
    }

    public AccessResult Read(ProcId p, ulong addr) => Access(p, addr, Prot.Read, 0);
    public AccessResult Write(ProcId p, ulong addr, byte value) => Access(p, addr, Prot.Write, value);

    AccessResult Access(ProcId p, ulong addr, Prot access, byte value)
    {
        if (P(p) is not { } proc)
            return new(Errno.EINVAL, Outcome.Failed, 0, 0, Prot.None, 0);
        ulong vpn = addr / PageSize;
        var outcome = Outcome.Hit;
        if (!proc.Entered.TryGetValue(vpn, out var entered) || (entered & access) != access)
        {
            faults++;
            if (!proc.Slots.TryGetValue(vpn, out var slot) || (slot.Prot & access) != access)
                return new(Errno.EFAULT, Outcome.Failed, 0, 0, MappedProt(p, addr), 0);
            outcome = Outcome.Fault(slot.Page is null ? 0 : 1);
            if (slot.Page is null)
                zerofills++;
            slot.Anon.Bytes ??= new byte[PageSize];
            proc.Entered[vpn] = slot.Prot;
            resolved++;
        }
        var page = proc.Slots[vpn].Page!;
        if (access == Prot.Write)
            page[addr % PageSize] = value;
        return new(Errno.OK, outcome, 0, 0, proc.Entered[vpn], page[addr % PageSize]);
    }

    public int PageDaemon(int npages) => 0;

    public long Counter(int index) => index switch
    {
        (int)CommonCounter.Faults => faults,
        (int)CommonCounter.Resolved or (int)CommonCounter.Entered or (int)CommonCounter.Minor => resolved,
        (int)CommonCounter.ZeroFills => zerofills,
        _ when Family.Counters[index] == "toy_fork_copies" => forkCopies,
        _ => 0,
    };

    public void ResetCounters() => faults = resolved = zerofills = forkCopies = 0;

    public int CountMapped(ProcId p, ulong addr, int npages) => Count(p, addr, npages, (proc, vpn) => proc.Entered.ContainsKey(vpn));
    public int CountResident(ProcId p, ulong addr, int npages) =>
        Count(p, addr, npages, (proc, vpn) => proc.Slots.TryGetValue(vpn, out var s) && s.Page is not null);
    public int CountWired(ProcId p, ulong addr, int npages) => 0;

    int Count(ProcId p, ulong addr, int npages, Func<Proc, ulong, bool> test) =>
        P(p) is { } proc && !Bad(addr, npages) ? Vpns(addr, npages).Count(vpn => test(proc, vpn)) : 0;

    public Prot MappedProt(ProcId p, ulong addr) =>
        P(p) is { } proc && proc.Entered.TryGetValue(addr / PageSize, out var prot) ? prot : Prot.None;

    public bool TryPeek(ProcId p, ulong addr, out byte value)
    {
        value = 0;
        if (P(p) is not { } proc || !proc.Slots.TryGetValue(addr / PageSize, out var s) || (s.Prot & Prot.Read) == 0)
            return false;
        value = s.Page?[addr % PageSize] ?? 0;
        return true;
    }

    public bool IsAlive(ProcId p) => P(p) is not null;
    public int FreePages => config.Pages - procs.Sum(p => p?.Slots.Values.Count(s => s.Page is not null) ?? 0);

    /// <summary>The pmap never holds a page that is not mapped, nor grants more than its mapping allows.</summary>
    public IReadOnlyList<string> CheckInvariants() =>
        [.. procs.Select((proc, id) => (proc, id)).Where(x => x.proc is not null).SelectMany(x => x.proc!.Entered
            .Where(e => !x.proc.Slots.TryGetValue(e.Key, out var s) || (e.Value & ~s.Prot) != 0 || s.Page is null)
            .Select(e => $"process {x.id}: page 0x{e.Key:x} entered {e.Value} beyond its mapping"))];

    public ulong Fingerprint()
    {
        var hash = new HashCode();
        foreach (var (proc, id) in procs.Select((proc, id) => (proc, id)).Where(x => x.proc is not null))
            foreach (var (vpn, s) in proc!.Slots)
            {
                hash.Add((id, vpn, s.Prot));
                hash.AddBytes(s.Page);
            }
        return (ulong)hash.ToHashCode();
    }
}
