namespace FaultLab.Core;

public sealed partial class FreeBsdMachine
{
    /// <summary>
    /// The kernel sleeps in VM_WAIT until memory frees up; the model's page daemon runs synchronously instead, so a
    /// fault (or fork's wired copy) that keeps running out of memory gives up with ENOMEM after this many waits.
    /// </summary>
    internal const int MaxWaitsPerFault = 64;

    private FbsdCounters counters;

    internal readonly PhysMem Mem;
    internal readonly SwapSpace Swap;
    internal readonly PmapSystem Pmaps;
    internal readonly Pool<VmObject> Objects;
    internal readonly Pool<FbsdMapEntry> Entries;
    internal readonly List<FbsdVnode?> Vnodes = [null];
    internal readonly List<VmProc?> Procs = [null];

    /// <summary>Records of exited processes, for the next process to reuse.</summary>
    internal readonly Stack<VmProc> DeadProcs = new();

    // ---- per-page state the shared VmPage record does not have (indexed by the page's frame number)

    /// <summary>vm_page_buckets: the (object, offset) hash vm_page_lookup searches; chains through hashNext.</summary>
    private readonly int[] pageBuckets;
    private readonly int[] hashNext;
    /// <summary>memq / listq: each object's resident pages.</summary>
    internal readonly int[] MemqNext, MemqPrev;
    /// <summary>m->valid: DEV_BSIZE blocks of the page that hold valid data (VM_PAGE_BITS_ALL: all of them).</summary>
    internal readonly byte[] Valid;
    /// <summary>The FreeBSD page flags the shared record has no bit for (PG_COPYONWRITE, PG_WRITEABLE, ...).</summary>
    internal readonly FbsdPageFlags[] PFlags;

    // ---- the swap pager's blocks: which (object, offset) each slot holds, and their hash

    private readonly int[] swapBuckets;
    private readonly int[] swapHashNext;
    internal readonly ObjId[] SwapObject;
    internal readonly int[] SwapIndex;

    /// <summary>The fault path this machine runs.</summary>
    internal readonly FaultPath Path;

    /// <summary>How many pages VM_WAIT asks the page daemon to free.</summary>
    internal readonly int FreeTarget;

    /// <summary>
    /// cnt.v_free_reserved: VM_ALLOC_NORMAL leaves these pages to the page daemon and the interrupt-level
    /// allocations; vm_fault_additional_pages reads ahead only above it.
    /// </summary>
    internal readonly int FreeReserved;

    public FreeBsdMachine(MachineConfig? config = null)
    {
        _ = K.Checked; // settle the checked configuration before any fault-path method is compiled
        Config = config ?? new MachineConfig();
        if (Config.Problem() is { } problem)
            throw new ArgumentOutOfRangeException(nameof(config), problem);
        if (!Enum.IsDefined(Config.Path))
            throw new ArgumentOutOfRangeException(nameof(config), $"unknown fault path {Config.Path}");
        Path = Config.Path;
        Mem = new PhysMem(Config.Pages);
        Swap = new SwapSpace(Config.SwapSlots);
        Pmaps = new PmapSystem(Config.PageTablePages, Mem);
        Objects = new Pool<VmObject>(64);
        Entries = new Pool<FbsdMapEntry>(64);
        int n = Config.Pages + 1;
        int nb = 1;
        while (nb < n)
            nb <<= 1;
        pageBuckets = new int[nb];
        hashNext = new int[n];
        MemqNext = new int[n];
        MemqPrev = new int[n];
        Valid = new byte[n];
        PFlags = new FbsdPageFlags[n];
        int ns = Swap.NSlots + 1;
        int sb = 1;
        while (sb < ns)
            sb <<= 1;
        swapBuckets = new int[sb];
        swapHashNext = new int[ns];
        SwapObject = new ObjId[ns];
        SwapIndex = new int[ns];
        FreeTarget = Math.Clamp(Config.Pages / 64, 4, 64);
        // vm_pageout.c: v_pageout_free_min (4 pages: 2 * MAXBSIZE / PAGE_SIZE) + 2, kept below a tenth of a small machine.
        FreeReserved = Math.Clamp(Config.Pages / 10, 0, 6);
    }

    internal ref FbsdCounters Cnt => ref counters;

    internal ref VmObject Obj(ObjId o) => ref Objects[o.Index];

    internal VmProc? Proc(ProcId p)
    {
        int slot = VmProc.SlotOf(p.Value);
        return slot > 0 && slot < Procs.Count && Procs[slot] is { } v && v.Generation == VmProc.GenerationOf(p.Value) ? v : null;
    }

    private VmProc? LiveProc(ProcId pid) => Proc(pid) is { Alive: true } p ? p : null;

    /// <summary>
    /// Makes sure the pools the fault path takes from have room for one fault: a shadow object made by
    /// vm_map_lookup, and pv entries for the page it enters. Pools grow here, outside the fault, never inside it.
    /// </summary>
    internal void ReserveForFault()
    {
        Objects.Reserve(2);
        Pmaps.Pv.Reserve(2);
    }

    // ---- vm_page.c: the (object, offset) hash and the object's memq

    private int Bucket(ObjId obj, int pindex) =>
        (int)(((uint)obj.Index * 0x9E3779B1u + (uint)pindex) & (uint)(pageBuckets.Length - 1));

    /// <summary>vm_page_lookup: the resident page of the object at that page index, or NULL.</summary>
    internal PageId VmPageLookup(ObjId obj, int pindex)
    {
        for (int i = pageBuckets[Bucket(obj, pindex)]; i != 0; i = hashNext[i])
        {
            ref var p = ref Mem[new PageId(i)];
            if (p.Object == obj && p.Offset == pindex)
                return new PageId(i);
        }
        return PageId.Null;
    }

    /// <summary>vm_page_insert: into the hash and onto the object's memq.</summary>
    private void VmPageInsert(PageId pg, ObjId obj, int pindex)
    {
        ref var p = ref Mem[pg];
        p.Object = obj;
        p.Offset = pindex;
        int b = Bucket(obj, pindex);
        hashNext[pg.Index] = pageBuckets[b];
        pageBuckets[b] = pg.Index;
        ref var o = ref Obj(obj);
        MemqPrev[pg.Index] = 0;
        MemqNext[pg.Index] = o.MemqHead;
        if (o.MemqHead != 0)
            MemqPrev[o.MemqHead] = pg.Index;
        o.MemqHead = pg.Index;
        o.ResidentPageCount++;
    }

    /// <summary>vm_page_remove: out of the hash and off the object's memq (the page keeps its frame).</summary>
    private void VmPageRemove(PageId pg)
    {
        ref var p = ref Mem[pg];
        int b = Bucket(p.Object, p.Offset);
        if (pageBuckets[b] == pg.Index)
        {
            pageBuckets[b] = hashNext[pg.Index];
        }
        else
        {
            int i = pageBuckets[b];
            while (hashNext[i] != pg.Index)
                i = hashNext[i];
            hashNext[i] = hashNext[pg.Index];
        }
        hashNext[pg.Index] = 0;
        ref var o = ref Obj(p.Object);
        int prev = MemqPrev[pg.Index], next = MemqNext[pg.Index];
        if (prev != 0) MemqNext[prev] = next; else o.MemqHead = next;
        if (next != 0) MemqPrev[next] = prev;
        MemqNext[pg.Index] = MemqPrev[pg.Index] = 0;
        o.ResidentPageCount--;
        p.Object = ObjId.Null;
        p.Offset = 0;
    }

    /// <summary>vm_page_rename: the page moves to another object and offset (collapse moves pages up).</summary>
    internal void VmPageRename(PageId pg, ObjId obj, int pindex)
    {
        VmPageRemove(pg);
        VmPageInsert(pg, obj, pindex);
    }

    /// <summary>
    /// vm_page_alloc(object, offset, VM_ALLOC_NORMAL): a busy, invalid page of the object, or NULL when no page is
    /// free above <see cref="FreeReserved"/> (the model has no cache queue to take from).
    /// </summary>
    internal PageId VmPageAlloc(ObjId obj, int pindex, bool system = false)
    {
        if (!system && Mem.FreeCount < FreeReserved)
            return PageId.Null; // pagedaemon_wakeup: the caller waits (VM_WAIT)
        var pg = Mem.Alloc(AnonId.Null, ObjId.Null, 0, zero: false);
        if (pg.IsNull)
            return pg;
        Valid[pg.Index] = 0;
        PFlags[pg.Index] = FbsdPageFlags.None;
        VmPageInsert(pg, obj, pindex);
        return pg;
    }

    /// <summary>vm_page_free (FREE_PAGE: PAGE_WAKEUP then vm_page_free): off its object, back to the free list.</summary>
    internal void VmPageFree(PageId pg)
    {
        VmPageRemove(pg);
        Valid[pg.Index] = 0;
        PFlags[pg.Index] = FbsdPageFlags.None;
        Mem[pg].WireCount = 0; // vm_page_free of a wired page drops the wiring with the page
        Mem.Free(pg);
    }

    /// <summary>PAGE_WAKEUP: the page is no longer busy (nobody sleeps on it in the single-threaded model).</summary>
    internal void PageWakeup(PageId pg) => Mem[pg].Flags &= ~(PageFlags.Busy | PageFlags.Wanted);

    // ---- swap_pager.c: the blocks of an object

    private int SwapBucket(ObjId obj, int pindex) =>
        (int)(((uint)obj.Index * 0x85EBCA77u + (uint)pindex) & (uint)(swapBuckets.Length - 1));

    /// <summary>The swap slot holding the object's page at that index, or 0.</summary>
    internal int SwapLookup(ObjId obj, int pindex)
    {
        if (Obj(obj).SwapBlocks == 0)
            return 0;
        for (int s = swapBuckets[SwapBucket(obj, pindex)]; s != 0; s = swapHashNext[s])
            if (SwapObject[s] == obj && SwapIndex[s] == pindex)
                return s;
        return 0;
    }

    /// <summary>Records that <paramref name="slot"/> holds the object's page at that index.</summary>
    internal void SwapInsert(int slot, ObjId obj, int pindex)
    {
        SwapObject[slot] = obj;
        SwapIndex[slot] = pindex;
        int b = SwapBucket(obj, pindex);
        swapHashNext[slot] = swapBuckets[b];
        swapBuckets[b] = slot;
        Obj(obj).SwapBlocks++;
    }

    /// <summary>Forgets the slot's (object, offset) and frees it (swap_pager_freespace).</summary>
    internal void SwapFreeSlot(int slot)
    {
        SwapUnlink(slot);
        Swap.Free(slot);
    }

    private void SwapUnlink(int slot)
    {
        var obj = SwapObject[slot];
        int b = SwapBucket(obj, SwapIndex[slot]);
        if (swapBuckets[b] == slot)
        {
            swapBuckets[b] = swapHashNext[slot];
        }
        else
        {
            int s = swapBuckets[b];
            while (swapHashNext[s] != slot)
                s = swapHashNext[s];
            swapHashNext[s] = swapHashNext[slot];
        }
        swapHashNext[slot] = 0;
        Obj(obj).SwapBlocks--;
        SwapObject[slot] = ObjId.Null;
        SwapIndex[slot] = 0;
    }

    /// <summary>swap_pager_copy's move of one block: the slot now holds <paramref name="obj"/>'s page at that index.</summary>
    internal void SwapRename(int slot, ObjId obj, int pindex)
    {
        SwapUnlink(slot);
        SwapInsert(slot, obj, pindex);
    }

    /// <summary>Every slot an object holds, into <paramref name="into"/> (which is large enough); how many.</summary>
    internal int SwapSlotsOf(ObjId obj, Span<int> into)
    {
        int n = 0;
        if (Obj(obj).SwapBlocks == 0)
            return 0;
        for (int s = 1; s < SwapObject.Length && n < into.Length; s++)
            if (SwapObject[s] == obj && Swap.IsAllocated(s))
                into[n++] = s;
        return n;
    }
}

/// <summary>The FreeBSD page flags the shared page record has no bit for.</summary>
[Flags]
internal enum FbsdPageFlags : byte
{
    None = 0,
    /// <summary>PG_COPYONWRITE: a page found below the first object, mapped without write.</summary>
    CopyOnWrite = 1,
    /// <summary>PG_WRITEABLE: entered writable in some pmap.</summary>
    Writeable = 2,
    /// <summary>PG_MAPPED: entered in some pmap.</summary>
    Mapped = 4,
}
