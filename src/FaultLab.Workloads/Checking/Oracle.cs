using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>A file as the oracle sees it: the current image of each page.</summary>
internal sealed class OracleFile(string name, int pages)
{
    public string Name { get; } = name;
    public PageImage[] Pages { get; } = Enumerable.Range(0, pages).Select(PageImage.FileInitial).ToArray();
}

/// <summary>One page of shared anonymous memory: the same cell is seen by every process that shares it.</summary>
internal sealed class SharedCell
{
    public PageImage Image = PageImage.Zero;
}

/// <summary>
/// One mapped virtual page of one process. What a read returns:
/// shared anon → the cell; shared file → the file page; private anon → <see cref="Priv"/> or zero;
/// private file → <see cref="Priv"/> or, until the page is privately copied, the file page's current contents.
/// </summary>
internal sealed class Slot
{
    public MapKind Kind;
    public Prot Prot;
    public OracleFile? File;
    public int FilePage;
    public SharedCell? Cell;
    /// <summary>The private copy (private kinds); null until written (or, for files, until mlock copies it).</summary>
    public PageImage? Priv;
    /// <summary>
    /// Set when an operation failed half-way (mlock, or a write fault, ending in ENOMEM) and may or may not have
    /// copied a private file page: the page then holds either <see cref="Priv"/> (or the file) or this image. The
    /// first observation that tells them apart resolves it.
    /// </summary>
    public PageImage? Alt;
    /// <summary>The oracle cannot tell what the page holds (more than two candidates); only access rights are checked.</summary>
    public bool Indeterminate;
    public bool Wired;
    /// <summary>
    /// The pmap may map this page with more rights than <see cref="Prot"/> until the next mprotect of it: a fork
    /// copied it from a wired range into the child with the range's max_protection
    /// (<see cref="FamilySemantics.ForkMapsWiredCopiesWithMaxProtection"/>). An access those rights allow is a hit.
    /// </summary>
    public bool MayExceedProt;

    /// <summary>The rights the pmap may grant for this page.</summary>
    public Prot Allowed => MayExceedProt ? Prot.ReadWrite : Prot;

    public bool IsPrivate => Kind is MapKind.AnonPrivate or MapKind.FilePrivate;

    public Slot CloneForChild() => new()
    {
        Kind = Kind, Prot = Prot, File = File, FilePage = FilePage, Cell = Cell, Priv = Priv, Alt = Alt,
        Indeterminate = Indeterminate, Wired = false,
    };

    /// <summary>The page as it is when no half-done copy happened.</summary>
    public PageImage Primary => Kind switch
    {
        MapKind.AnonShared => Cell!.Image,
        MapKind.FileShared => File!.Pages[FilePage],
        MapKind.AnonPrivate => Priv ?? PageImage.Zero,
        _ => Priv ?? File!.Pages[FilePage],
    };
}

internal sealed class OracleProcess(string name, ProcId id)
{
    public string Name { get; } = name;
    public ProcId Id { get; } = id;
    /// <summary>Mapped pages by virtual page number.</summary>
    public SortedDictionary<ulong, Slot> Slots { get; } = [];
}

internal enum Coverage : byte { None, Partial, Full }

/// <summary>
/// An independent, deliberately naive reference of what every process must see (SEMANTICS.md and UVM's
/// copy-on-write rules), kept page by page. It knows nothing of amaps, anons, pmaps or paging: contents only.
/// </summary>
internal sealed class Oracle
{
    public const int PageShift = 12;

    public Dictionary<string, OracleFile> Files { get; } = [];
    /// <summary>Live processes, by name, in creation order.</summary>
    public List<OracleProcess> Processes { get; } = [];

    public OracleFile AddFile(string name, int pages)
    {
        var f = new OracleFile(name, pages);
        Files.Add(name, f);
        return f;
    }

    public OracleProcess AddProcess(string name, ProcId id)
    {
        var p = new OracleProcess(name, id);
        Processes.Add(p);
        return p;
    }

    public OracleProcess? Find(string name)
    {
        foreach (var p in Processes)
            if (p.Name == name) return p;
        return null;
    }

    public static ulong Vpn(ulong addr) => addr >> PageShift;
    public static int Offset(ulong addr) => (int)(addr & (PageImage.PageSize - 1));

    public static Coverage Cover(OracleProcess p, ulong vpn, int n)
    {
        var mapped = 0;
        for (var i = 0; i < n; i++)
            if (p.Slots.ContainsKey(vpn + (ulong)i)) mapped++;
        return mapped == 0 ? Coverage.None : mapped == n ? Coverage.Full : Coverage.Partial;
    }

    public IEnumerable<Slot> SlotsIn(OracleProcess p, ulong vpn, int n)
    {
        for (var i = 0; i < n; i++)
            if (p.Slots.TryGetValue(vpn + (ulong)i, out var s)) yield return s;
    }

    /// <summary>A successful mmap (the range is known to be free).</summary>
    public void Map(OracleProcess p, ulong vpn, int n, Prot prot, MapKind kind, OracleFile? file, long pgoff)
    {
        for (var i = 0; i < n; i++)
        {
            var s = new Slot { Kind = kind, Prot = prot };
            if (kind is MapKind.FilePrivate or MapKind.FileShared)
            {
                s.File = file;
                s.FilePage = (int)pgoff + i;
            }
            if (kind == MapKind.AnonShared) s.Cell = new SharedCell();
            p.Slots.Add(vpn + (ulong)i, s);
        }
    }

    public void Unmap(OracleProcess p, ulong vpn, int n)
    {
        for (var i = 0; i < n; i++) p.Slots.Remove(vpn + (ulong)i);
    }

    public void Protect(OracleProcess p, ulong vpn, int n, Prot prot)
    {
        foreach (var s in SlotsIn(p, vpn, n))
        {
            // pmap_protect leaves no mapping with more rights than the new protection (only a change calls it)
            if (s.Prot != prot) s.MayExceedProt = false;
            s.Prot = prot;
        }
    }

    /// <summary>
    /// mlock. Wiring faults every page with the maximum protection (read|write) and cow_now, so every page of a
    /// private file range becomes a private snapshot of the file. When the mlock failed, some pages may have been
    /// copied and some not: both candidates are kept.
    /// </summary>
    public void Lock(OracleProcess p, ulong vpn, int n, bool succeeded)
    {
        foreach (var s in SlotsIn(p, vpn, n))
        {
            if (succeeded) s.Wired = true;
            if (s.Kind == MapKind.FilePrivate && s.Priv is null) MayHaveCopied(s, certainly: succeeded);
        }
    }

    /// <summary>A private file page with no private copy was (or, if not <paramref name="certainly"/>, may have been) copied.</summary>
    public static void MayHaveCopied(Slot s, bool certainly)
    {
        if (s.Indeterminate || s.Priv is not null) return;
        var now = s.File!.Pages[s.FilePage];
        if (certainly)
        {
            s.Priv = now;                            // Alt, if any, stays the other candidate
        }
        else if (s.Alt is null)
        {
            s.Alt = now;
        }
        else if (!s.Alt.SameContent(now))
        {
            s.Indeterminate = true;                  // three candidates: give up on this page's contents
            s.Alt = null;
        }
    }

    public void Unlock(OracleProcess p, ulong vpn, int n)
    {
        foreach (var s in SlotsIn(p, vpn, n)) s.Wired = false;
    }

    /// <summary>fork: the child sees a snapshot of the private pages and shares the shared ones.</summary>
    /// <param name="wiredCopiesWithMaxProtection">The family's fork enters the child's copies of wired private
    /// pages with max_protection (<see cref="FamilySemantics.ForkMapsWiredCopiesWithMaxProtection"/>).</param>
    public OracleProcess Fork(OracleProcess parent, string childName, ProcId childId, bool wiredCopiesWithMaxProtection = false)
    {
        var c = AddProcess(childName, childId);
        foreach (var (vpn, s) in parent.Slots)
        {
            var child = s.CloneForChild();
            child.MayExceedProt = wiredCopiesWithMaxProtection && s.Wired && s.IsPrivate;
            c.Slots.Add(vpn, child);
        }
        return c;
    }

    public void Exit(OracleProcess p) => Processes.Remove(p);

    public static Slot? SlotAt(OracleProcess p, ulong addr) => p.Slots.GetValueOrDefault(Vpn(addr));

    /// <summary>
    /// Whether <paramref name="got"/> is a value the page may hold at <paramref name="offset"/>; when the page had
    /// two candidates and only one matches, the slot is resolved to it.
    /// </summary>
    public static bool Observe(Slot s, int offset, byte got)
    {
        if (s.Indeterminate) return true;
        var primary = s.Primary.Get(offset);
        if (s.Alt is null) return got == primary;
        var alt = s.Alt.Get(offset);
        if (primary == alt) return got == primary;
        if (got == primary)
        {
            s.Alt = null;
            return true;
        }
        if (got == alt)
        {
            s.Priv = s.Alt;
            s.Alt = null;
            return true;
        }
        return false;
    }

    /// <summary>The value a read must return, for messages (the primary candidate).</summary>
    public static string Describe(Slot s, int offset) =>
        s.Indeterminate ? "anything" :
        s.Alt is null ? Op.Hex(s.Primary.Get(offset)) :
        $"{Op.Hex(s.Primary.Get(offset))} or {Op.Hex(s.Alt.Get(offset))}";

    /// <summary>A successful write of <paramref name="value"/> through <paramref name="s"/>.</summary>
    public static void Write(Slot s, int offset, byte value)
    {
        switch (s.Kind)
        {
            case MapKind.AnonShared:
                s.Cell!.Image = s.Cell.Image.With(offset, value);
                break;
            case MapKind.FileShared:
                s.File!.Pages[s.FilePage] = s.File.Pages[s.FilePage].With(offset, value);
                break;
            default:
                s.Priv = s.Primary.With(offset, value);
                s.Alt = s.Alt?.With(offset, value);
                break;
        }
    }
}
