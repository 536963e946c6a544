namespace FaultLab.Core;

/// <summary>UVM_ET_* entry type bits.</summary>
[Flags]
internal enum EntryType : byte
{
    None = 0,
    /// <summary>UVM_ET_COPYONWRITE: writes go to a private copy (MAP_PRIVATE).</summary>
    CopyOnWrite = 1,
    /// <summary>UVM_ET_NEEDSCOPY: the amap must be copied before it may be written.</summary>
    NeedsCopy = 2,
}

/// <summary>MAP_INHERIT_*: what fork does with the entry.</summary>
internal enum Inherit : byte
{
    Copy,
    Share,
}

/// <summary>struct vm_map_entry.</summary>
internal struct VmMapEntry
{
    public ulong Start, End;
    /// <summary>object.uvm_obj and offset (bytes into the object).</summary>
    public ObjId Object;
    public ulong Offset;
    /// <summary>aref: the amap and the slot of the entry's first page in it (ar_pageoff).</summary>
    public AmapId Amap;
    public int AmapPageOff;
    public Prot Protection, MaxProtection;
    public Advice Advice;
    public EntryType Etype;
    public Inherit Inheritance;
    public int WiredCount;
    /// <summary>The sorted list of the map's entries.</summary>
    public EntryId Prev, Next;
    /// <summary>The map's red-black tree by start address (EntryTree.cs).</summary>
    public EntryId Left, Right, Parent;
    public bool Red;

    public readonly int NPages => (int)((End - Start) >> Param.PAGE_SHIFT);
    public readonly bool IsWired => WiredCount > 0;
    public readonly bool IsCopyOnWrite => (Etype & EntryType.CopyOnWrite) != 0;
    public readonly bool IsNeedsCopy => (Etype & EntryType.NeedsCopy) != 0;
}

/// <summary>
/// A process: its vm_map (a sorted list of entries, and a red-black tree of them) and its pmap. The record of an exited process is reused by
/// a later one (no allocation per fork), under a new generation, so that every process has its own id.
/// </summary>
internal sealed class VmProc
{
    private const int SlotBits = 16;
    public const int MaxSlots = 1 << SlotBits;

    public VmProc(int slot, int pmap)
    {
        Slot = slot;
        Pmap = pmap;
    }

    public int Slot { get; }
    public int Generation { get; private set; }
    public int Pmap { get; }

    /// <summary>The public process id: slot and generation.</summary>
    public int Id => (Generation << SlotBits) | Slot;

    public static int SlotOf(int id) => id & (MaxSlots - 1);
    public static int GenerationOf(int id) => id >> SlotBits;

    /// <summary>A new process in this record: empty map, next generation (wrapping, ids stay positive).</summary>
    public void Reincarnate()
    {
        Generation = (Generation + 1) & 0x7fff;
        First = Last = Root = EntryId.Null;
        Timestamp++;
        Alive = true;
    }

    public EntryId First, Last;
    /// <summary>The root of the entries' red-black tree.</summary>
    public EntryId Root;
    /// <summary>Bumped by every change to the map, as vm_map's timestamp (uvmfault_relock compares it).</summary>
    public uint Timestamp;

    /// <summary>The entry the last lookup found (vm_map's hint), valid while the map is at <see cref="HintStamp"/>.</summary>
    public EntryId Hint;
    public uint HintStamp;
    public bool Alive = true;
}

public sealed partial class Machine
{
    /// <summary>uvm_map_lookup_entry: true with the entry holding va, else false with the entry before va (or NULL).</summary>
    internal bool LookupEntry(VmProc p, ulong va, out EntryId entry)
    {
        // The hint first: faults come in runs on the same entry. It is only trusted while the map is unchanged.
        if (p.HintStamp == p.Timestamp && !p.Hint.IsNull)
        {
            ref var h = ref Entries[p.Hint.Index];
            if (va >= h.Start && va < h.End)
            {
                entry = p.Hint;
                return true;
            }
        }
        if (!TreeLookup(p, va, out entry))
            return false;
        p.Hint = entry;
        p.HintStamp = p.Timestamp;
        return true;
    }

    /// <summary>The first entry that ends after va (the entry holding va, or the next one), or NULL.</summary>
    internal EntryId FirstEntryFrom(VmProc p, ulong va)
    {
        if (LookupEntry(p, va, out var e))
            return e;
        return e.IsNull ? p.First : Entries[e.Index].Next;
    }

    /// <summary>UVM_MAP_CLIP_START: make <paramref name="e"/> start at <paramref name="start"/>.</summary>
    internal void ClipStart(VmProc p, EntryId e, ulong start)
    {
        ref var r = ref Entries[e.Index];
        if (start <= r.Start)
            return;
        int ni = Entries.AllocGrowing();
        ref var old = ref Entries[e.Index]; // the pool may have moved
        ref var front = ref Entries[ni];
        front = old;
        front.End = start;
        ulong adj = start - old.Start;
        old.Start = start;
        old.Offset += old.Object.IsNull ? 0 : adj;
        if (!old.Amap.IsNull)
        {
            old.AmapPageOff += (int)(adj >> Param.PAGE_SHIFT);
            UvmLocks.AmapLock(this, old.Amap);
            Amaps[old.Amap.Index].Ref++; // amap_splitref: not a share reference
            UvmLocks.AmapUnlock(this, old.Amap);
        }
        if (!old.Object.IsNull)
            Objects[old.Object.Index].Refs++;
        // link front before e
        var n = new EntryId(ni);
        front.Next = e;
        front.Prev = old.Prev;
        if (old.Prev.IsNull) p.First = n; else Entries[old.Prev.Index].Next = n;
        old.Prev = n;
        TreeInsert(p, n);
        p.Timestamp++;
    }

    /// <summary>UVM_MAP_CLIP_END: make <paramref name="e"/> end at <paramref name="end"/>.</summary>
    internal void ClipEnd(VmProc p, EntryId e, ulong end)
    {
        ref var r = ref Entries[e.Index];
        if (end >= r.End)
            return;
        int ni = Entries.AllocGrowing();
        ref var old = ref Entries[e.Index];
        ref var back = ref Entries[ni];
        back = old;
        back.Start = end;
        ulong adj = end - old.Start;
        old.End = end;
        back.Offset += back.Object.IsNull ? 0 : adj;
        if (!back.Amap.IsNull)
        {
            back.AmapPageOff += (int)(adj >> Param.PAGE_SHIFT);
            UvmLocks.AmapLock(this, back.Amap);
            Amaps[back.Amap.Index].Ref++; // amap_splitref
            UvmLocks.AmapUnlock(this, back.Amap);
        }
        if (!back.Object.IsNull)
            Objects[back.Object.Index].Refs++;
        var n = new EntryId(ni);
        back.Prev = e;
        back.Next = old.Next;
        if (!old.Next.IsNull) Entries[old.Next.Index].Prev = n; else p.Last = n;
        old.Next = n;
        TreeInsert(p, n);
        p.Timestamp++;
    }

    /// <summary>Links a new entry into the sorted list after <paramref name="prev"/> (NULL: at the head).</summary>
    internal void LinkEntry(VmProc p, EntryId prev, EntryId e)
    {
        ref var r = ref Entries[e.Index];
        r.Prev = prev;
        if (prev.IsNull)
        {
            r.Next = p.First;
            p.First = e;
        }
        else
        {
            r.Next = Entries[prev.Index].Next;
            Entries[prev.Index].Next = e;
        }
        if (!r.Next.IsNull)
            Entries[r.Next.Index].Prev = e;
        else
            p.Last = e;
        TreeInsert(p, e);
        p.Timestamp++;
    }

    internal void UnlinkEntry(VmProc p, EntryId e)
    {
        ref var r = ref Entries[e.Index];
        if (r.Prev.IsNull) p.First = r.Next; else Entries[r.Prev.Index].Next = r.Next;
        if (!r.Next.IsNull) Entries[r.Next.Index].Prev = r.Prev; else p.Last = r.Prev;
        TreeRemove(p, e);
        p.Timestamp++;
    }

    /// <summary>
    /// Clips the entries overlapping [start, end) to it and reports whether the range is covered with no hole.
    /// </summary>
    internal bool ClipRange(VmProc p, ulong start, ulong end, out EntryId first)
    {
        first = FirstEntryFrom(p, start);
        if (first.IsNull || Entries[first.Index].Start >= end)
            return false;
        ClipStart(p, first, start);
        bool covered = Entries[first.Index].Start <= start;
        ulong expect = Entries[first.Index].Start;
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ClipEnd(p, e, end);
            if (Entries[e.Index].Start != expect)
                covered = false;
            expect = Entries[e.Index].End;
        }
        return covered && expect >= end;
    }
}
