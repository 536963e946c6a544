using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>A target that compares more than one machine and reports, after each step, where they disagreed.</summary>
internal interface ISteppedTarget
{
    /// <summary>The step's first difference, if any (then forgotten).</summary>
    Divergence? EndStep();
}

/// <summary>
/// Two machines of different families driven by the same operations: the checked one (which answers the caller, so
/// the oracle checks it as in an ordinary run) and one of another family beside it. After each step the target
/// reports where they disagreed in what the two contracts say must agree: the errno of every operation, whether an
/// access succeeded, the byte a read returned, what a peek sees. Outcomes, counters, protections after an access,
/// mappings and residency are the designs' own and are not compared. Where the contracts differ
/// (<see cref="FamilySemantics"/>, mlock of a range the other family wires differently, a wired copy mapped with
/// max_protection) the pages concerned are set aside and no longer compared until they are unmapped. Both
/// machines get memory and page tables enough that neither runs out (the designs use different amounts).
/// </summary>
internal sealed class CrossFamilyTarget : IMachine, ISteppedTarget
{
    const int PageShift = 12;
    readonly IMachine primary;
    readonly IMachine other;
    readonly Dictionary<ProcId, ProcId> procs = [];
    readonly Dictionary<FileId, FileId> files = [];
    /// <summary>Pages no longer compared (process of the checked machine, virtual page number).</summary>
    readonly HashSet<(ProcId, ulong)> setAside = [];
    /// <summary>Pages a fork mapped with max_protection on one machine: an access may succeed there only.</summary>
    readonly HashSet<(ProcId, ulong)> maxProt = [];
    /// <summary>Pages wired on the machine whose fork maps wired copies with max_protection (by the checked
    /// machine's process ids): a fork's child may access them with more rights there.</summary>
    readonly HashSet<(ProcId, ulong)> wiredThere = [];
    /// <summary>Which machine's fork maps wired copies with max_protection: 0 none, 1 the checked one, 2 the other.</summary>
    readonly int maxProtMachine;
    Divergence? divergence;

    CrossFamilyTarget(MachineConfig config, Func<MachineConfig, IMachine> factory, MachineFamily otherFamily)
    {
        var roomy = config with
        {
            Pages = Math.Max(config.Pages, 2048),
            SwapSlots = Math.Max(config.SwapSlots, 2048),
            PageTablePages = Math.Max(config.PageTablePages, 512),
        };
        primary = factory(roomy);
        other = otherFamily.Create(roomy with { Path = FaultPath.Generic });
        Config = config;
        maxProtMachine = primary.Family.Semantics.ForkMapsWiredCopiesWithMaxProtection ? 1
            : other.Family.Semantics.ForkMapsWiredCopiesWithMaxProtection ? 2 : 0;
    }

    /// <summary>A factory of cross-family targets: the machine of <paramref name="factory"/> beside one of
    /// <paramref name="otherFamily"/>.</summary>
    public static Func<MachineConfig, IMachine> Over(Func<MachineConfig, IMachine> factory, MachineFamily otherFamily)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(otherFamily);
        return config => new CrossFamilyTarget(config, factory, otherFamily);
    }

    public Divergence? EndStep()
    {
        var found = primary is ISteppedTarget inner ? inner.EndStep() : null;
        found ??= divergence;
        divergence = null;
        return found;
    }

    void Differ(string what, string mine, string theirs)
    {
        divergence ??= new Divergence($"{what}: {primary.Family.Name} {mine}; {other.Family.Name} {theirs}", null) { Kind = "cross-family" };
    }

    ProcId O(ProcId p) => procs.GetValueOrDefault(p);
    FileId O(FileId f) => files.GetValueOrDefault(f);

    static IEnumerable<ulong> Pages(ulong addr, int npages)
    {
        for (var i = 0; i < npages && i < 1 << 16; i++) yield return (addr >> PageShift) + (ulong)i;
    }

    bool AnySetAside(ProcId p, ulong addr, int npages) => npages > 0 && Pages(addr, npages).Any(v => setAside.Contains((p, v)));

    void SetAside(ProcId p, ulong addr, int npages)
    {
        foreach (var v in Pages(addr, npages)) setAside.Add((p, v));
    }

    void Forget(ProcId p, ulong addr, int npages)
    {
        foreach (var v in Pages(addr, npages))
        {
            setAside.Remove((p, v));
            maxProt.Remove((p, v));
            wiredThere.Remove((p, v));
        }
    }

    /// <summary>Records a wiring change on the machine whose fork maps wired copies with max_protection.</summary>
    void Wired(ProcId p, ulong addr, int npages, Errno mine, Errno theirs, bool wired)
    {
        var there = maxProtMachine == 1 ? mine : maxProtMachine == 2 ? theirs : Errno.EINVAL;
        if (there != Errno.OK) return;
        foreach (var v in Pages(addr, npages))
        {
            if (wired) wiredThere.Add((p, v));
            else wiredThere.Remove((p, v));
        }
    }

    Errno Compare(string what, ProcId p, ulong addr, int npages, Errno mine, Errno theirs, bool mayDiffer = false)
    {
        if (mine == theirs) return mine;
        if (mayDiffer || AnySetAside(p, addr, npages)) SetAside(p, addr, npages);
        else Differ(what, mine.ToString(), theirs.ToString());
        return mine;
    }

    // ---- IMachine ----

    public MachineConfig Config { get; }
    public MachineFamily Family => primary.Family;

    public FileId CreateFile(int pages, bool resident)
    {
        var f = primary.CreateFile(pages, resident);
        files[f] = other.CreateFile(pages, resident);
        return f;
    }

    public ProcId CreateProcess()
    {
        var p = primary.CreateProcess();
        procs[p] = other.CreateProcess();
        return p;
    }

    public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file = default, long pgoff = 0, bool wired = false)
    {
        var mine = primary.Mmap(p, addr, npages, prot, kind, file, pgoff, wired);
        var theirs = other.Mmap(O(p), addr, npages, prot, kind, O(file), pgoff, wired);
        var tainted = AnySetAside(p, addr, npages);
        if (mine == Errno.OK && theirs == Errno.OK) Forget(p, addr, npages);
        if (wired) Wired(p, addr, npages, mine, theirs, wired: true);
        // A wired mapping whose wiring failed on one machine only is gone there (mmap removes it again): so that no
        // mapping exists on one side only (a write through it would change a file for everybody), the other
        // machine, which nobody checks, is made to agree: the mapping is removed, or made without wiring.
        if (wired && mine != theirs)
        {
            if (mine != Errno.OK && theirs == Errno.OK) other.Munmap(O(p), addr, npages);
            else if (mine == Errno.OK && theirs != Errno.OK) other.Mmap(O(p), addr, npages, prot, kind, O(file), pgoff, wired: false);
        }
        // a wired mapping is mmap then mlock: the families wire differently where their contracts do
        return Compare($"`mmap {Op.Hex(addr)} {npages}`", p, addr, npages, mine, theirs, mayDiffer: wired || tainted);
    }

    public Errno Munmap(ProcId p, ulong addr, int npages)
    {
        var mine = Compare($"`munmap {Op.Hex(addr)} {npages}`", p, addr, npages, primary.Munmap(p, addr, npages), other.Munmap(O(p), addr, npages));
        if (mine == Errno.OK) Forget(p, addr, npages);
        return mine;
    }

    public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot)
    {
        var mine = Compare($"`mprotect {Op.Hex(addr)} {npages}`", p, addr, npages, primary.Mprotect(p, addr, npages, prot), other.Mprotect(O(p), addr, npages, prot));
        // pmap_protect leaves no more rights than the new ones -- where it runs: 1995's vm_map_protect calls it only
        // for an entry whose protection changed, so a copy fork entered with max_protection may keep its rights.
        // The machine that maps such copies says which pages it still maps beyond the new protection.
        var (maxMachine, maxProc) = maxProtMachine == 1 ? (primary, p) : (other, O(p));
        foreach (var v in Pages(addr, npages))
        {
            if (maxProtMachine == 0 || (maxMachine.MappedProt(maxProc, v << PageShift) & ~prot) == 0)
                maxProt.Remove((p, v));
        }
        return mine;
    }

    public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) =>
        Compare($"`madvise {Op.Hex(addr)} {npages}`", p, addr, 0, primary.Madvise(p, addr, npages, advice), other.Madvise(O(p), addr, npages, advice),
            mayDiffer: primary.Family.Semantics.MadviseSupported != other.Family.Semantics.MadviseSupported);

    // The families' mlock may differ on a range without write (FreeBSD's vm_fault_wire asks READ|WRITE), and then
    // so may what the pages hold (a private file page copied on one side only): such a range is set aside.
    public Errno Mlock(ProcId p, ulong addr, int npages)
    {
        var mine = primary.Mlock(p, addr, npages);
        var theirs = other.Mlock(O(p), addr, npages);
        Wired(p, addr, npages, mine, theirs, wired: true);
        return Compare($"`mlock {Op.Hex(addr)} {npages}`", p, addr, npages, mine, theirs, mayDiffer: true);
    }

    public Errno Munlock(ProcId p, ulong addr, int npages)
    {
        var mine = primary.Munlock(p, addr, npages);
        var theirs = other.Munlock(O(p), addr, npages);
        Wired(p, addr, npages, mine, theirs, wired: false);
        return Compare($"`munlock {Op.Hex(addr)} {npages}`", p, addr, npages, mine, theirs);
    }

    /// <summary>Loans change no content: the other machine is not asked (its family may have none).</summary>
    public Errno Loan(ProcId p, ulong addr, int npages) => primary.Loan(p, addr, npages);

    public Errno Unloan(ProcId p, ulong addr, int npages) => primary.Unloan(p, addr, npages);

    public Errno Fork(ProcId parent, out ProcId child)
    {
        var mine = primary.Fork(parent, out child);
        var theirs = other.Fork(O(parent), out var otherChild);
        if (mine != theirs) Differ("`fork`", mine.ToString(), theirs.ToString());
        if (mine != Errno.OK || theirs != Errno.OK) return mine;
        procs[child] = otherChild;
        foreach (var (_, v) in setAside.Where(x => x.Item1 == parent).ToList()) setAside.Add((child, v));
        // a family that maps a wired range's copies with max_protection: the child's accesses may differ there
        foreach (var (_, v) in wiredThere.Where(x => x.Item1 == parent).ToList()) maxProt.Add((child, v));
        return mine;
    }

    public Errno Exit(ProcId p)
    {
        var mine = primary.Exit(p);
        var theirs = other.Exit(O(p));
        if (mine != theirs) Differ("`exit`", mine.ToString(), theirs.ToString());
        return mine;
    }

    public AccessResult Read(ProcId p, ulong addr)
    {
        var mine = primary.Read(p, addr);
        var theirs = other.Read(O(p), addr);
        CompareAccess($"`read {Op.Hex(addr)}`", p, addr, mine, theirs, compareValue: true);
        return mine;
    }

    public AccessResult Write(ProcId p, ulong addr, byte value)
    {
        var mine = primary.Write(p, addr, value);
        var theirs = other.Write(O(p), addr, value);
        CompareAccess($"`write {Op.Hex(addr)}`", p, addr, mine, theirs, compareValue: false);
        return mine;
    }

    void CompareAccess(string what, ProcId p, ulong addr, AccessResult mine, AccessResult theirs, bool compareValue)
    {
        var page = (p, addr >> PageShift);
        if (setAside.Contains(page)) return;
        if (mine.Ok != theirs.Ok || (!mine.Ok && mine.Error != theirs.Error))
        {
            if (maxProt.Contains(page)) setAside.Add(page);
            else Differ(what, Show(mine), Show(theirs));
            return;
        }
        if (compareValue && mine.Ok && mine.Value != theirs.Value)
            Differ(what, Show(mine), Show(theirs));
    }

    static string Show(AccessResult r) => r.Ok ? $"read/wrote {Op.Hex(r.Value)}" : r.Error.ToString();

    public Errno Pageout(ProcId p, ulong addr, int npages) =>
        Compare($"`pageout {Op.Hex(addr)} {npages}`", p, addr, npages, primary.Pageout(p, addr, npages), other.Pageout(O(p), addr, npages));

    public int PageDaemon(int npages)
    {
        other.PageDaemon(npages);
        return primary.PageDaemon(npages);
    }

    public long Counter(int index) => primary.Counter(index);

    public void ResetCounters()
    {
        primary.ResetCounters();
        other.ResetCounters();
    }

    public int CountMapped(ProcId p, ulong addr, int npages) => primary.CountMapped(p, addr, npages);
    public int CountResident(ProcId p, ulong addr, int npages) => primary.CountResident(p, addr, npages);
    public int CountWired(ProcId p, ulong addr, int npages) => primary.CountWired(p, addr, npages);
    public Prot MappedProt(ProcId p, ulong addr) => primary.MappedProt(p, addr);

    public bool TryPeek(ProcId p, ulong addr, out byte value)
    {
        var mine = primary.TryPeek(p, addr, out value);
        var theirs = other.TryPeek(O(p), addr, out var otherValue);
        if (!setAside.Contains((p, addr >> PageShift)) && (mine != theirs || (mine && value != otherValue)))
            Differ($"peek at {Op.Hex(addr)}", mine ? Op.Hex(value) : "no value", theirs ? Op.Hex(otherValue) : "no value");
        return mine;
    }

    public bool IsAlive(ProcId p)
    {
        var mine = primary.IsAlive(p);
        if (mine != other.IsAlive(O(p))) Differ("process alive", mine.ToString(), (!mine).ToString());
        return mine;
    }

    public int FreePages => primary.FreePages;

    /// <summary>The checked machine's findings, then the other's (named by its family).</summary>
    public IReadOnlyList<string> CheckInvariants() =>
        [.. primary.CheckInvariants(), .. other.CheckInvariants().Select(v => $"{other.Family.Name}: {v}")];

    public ulong Fingerprint() => primary.Fingerprint();
}
