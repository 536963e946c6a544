using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>mmap: uvm_mmap and uvm_map_enter, merging included.</summary>
public sealed partial class Machine
{
    private Errno MmapImpl(ProcId pid, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages) || !ValidProt(prot) || pgoff < 0 || pgoff > MachineConfig.MaxFilePages || !Enum.IsDefined(kind))
            return Errno.EINVAL;
        bool isFile = kind is MapKind.FilePrivate or MapKind.FileShared;
        if (isFile && (file.Value <= 0 || file.Value >= Objects.Count))
            return Errno.EINVAL;
        ulong end = End(addr, npages);
        if (!MapEnter(p, addr, end, kind, file, pgoff, prot))
            return Errno.EINVAL; // overlaps an existing mapping: nothing changes

        if (wired)
        {
            var error = MlockImpl(pid, addr, npages);
            if (error != Errno.OK)
            {
                using var locked = LockMap(p);
                UnmapRange(p, addr, end);
                return error;
            }
        }
        return Errno.OK;
    }

    /// <summary>uvm_map (uvm_map_prepare + uvm_map_enter) at a fixed address: false if the range is not free.</summary>
    private bool MapEnter(VmProc p, ulong addr, ulong end, MapKind kind, FileId file, long pgoff, Prot prot)
    {
        using var locked = LockMap(p);
        bool isFile = kind is MapKind.FilePrivate or MapKind.FileShared;
        var next = FirstEntryFrom(p, addr);
        if (!next.IsNull && Entries[next.Index].Start < end)
            return false;

        // uvm_mmap's flags: private mappings are copy-on-write (UVM_FLAG_COPYONW), a shared anonymous one gets
        // its amap at map time (UVM_FLAG_OVERLAY).
        ObjId uobj = isFile ? new ObjId(file.Value) : ObjId.Null;
        ulong uoffset = isFile ? (ulong)pgoff << PAGE_SHIFT : 0;
        bool priv = kind is MapKind.AnonPrivate or MapKind.FilePrivate;
        var newetype = priv ? EntryType.CopyOnWrite | EntryType.NeedsCopy : EntryType.None;
        var inherit = priv ? Inherit.Copy : Inherit.Share;
        var prev = next.IsNull ? p.Last : Entries[next.Index].Prev;
        if (!MapEnterMerge(p, prev, next, addr, end, newetype, uobj, uoffset, prot, inherit))
            MapEnterNew(p, prev, addr, end, newetype, uobj, uoffset, prot, inherit, overlay: kind == MapKind.AnonShared);
        return true;
    }

    /// <summary>UVM_ET_ISCOMPATIBLE: whether a new mapping with these attributes may extend the entry.</summary>
    private bool Compatible(EntryId e, EntryType newetype, ObjId uobj, Prot prot, Inherit inherit)
    {
        ref var r = ref Entries[e.Index];
        return r.Etype == newetype && r.Object == uobj && r.Protection == prot && r.MaxProtection == Prot.ReadWrite &&
               r.Inheritance == inherit && r.Advice == Advice.Normal && r.WiredCount == 0;
    }

    /// <summary>
    /// uvm_map_enter's merging: extend the previous entry over the new range (back merge) and/or pull the next
    /// entry back over it (forward merge; both: the two entries become one). An entry with an amap is extended
    /// only when it holds the amap's only reference, and two amaps are never joined.
    /// </summary>
    /// <returns>Whether the range was merged (else it needs an entry of its own).</returns>
    private bool MapEnterMerge(VmProc p, EntryId prev, EntryId next, ulong start, ulong end,
        EntryType newetype, ObjId uobj, ulong uoffset, Prot prot, Inherit inherit)
    {
        ulong size = end - start;
        int slots = (int)(size >> PAGE_SHIFT);
        bool merged = false;
        if (!prev.IsNull && Entries[prev.Index].End == start && Compatible(prev, newetype, uobj, prot, inherit))
        {
            ref var pe = ref Entries[prev.Index];
            bool contiguous = uobj.IsNull || pe.Offset + (pe.End - pe.Start) == uoffset;
            // can't extend a shared amap.
            bool extendable = pe.Amap.IsNull || Amaps[pe.Amap.Index].Ref == 1;
            if (contiguous && extendable)
            {
                if (!pe.Amap.IsNull && !AmapExtend(prev, slots, forwards: true))
                    return false;
                // the new mapping's object reference is not taken: we are extending a reference we already have.
                Entries[prev.Index].End += size;
                merged = true;
            }
        }

        // forwardmerge:
        if (!next.IsNull && Entries[next.Index].Start == end && Compatible(next, newetype, uobj, prot, inherit))
        {
            ref var ne = ref Entries[next.Index];
            if (!uobj.IsNull && ne.Offset != uoffset + size)
                return Done(merged);
            // can't extend a shared amap, and two amaps are never merged.
            if (!ne.Amap.IsNull && (Amaps[ne.Amap.Index].Ref != 1 || (merged && !Entries[prev.Index].Amap.IsNull)))
                return Done(merged);
            if (merged)
            {
                // extend the previous entry's amap over the next entry as well, or the next entry's amap back
                // over the previous entry (which now covers the new range too); failing that, stay back-merged.
                if (!Entries[prev.Index].Amap.IsNull)
                {
                    if (!AmapExtend(prev, Entries[next.Index].NPages, forwards: true))
                        return Done(merged);
                }
                else if (!Entries[next.Index].Amap.IsNull &&
                         !AmapExtend(next, Entries[prev.Index].NPages, forwards: false))
                {
                    return Done(merged);
                }
                // the previous entry swallows the next one.
                ref var pe = ref Entries[prev.Index];
                ref var dead = ref Entries[next.Index];
                pe.End = dead.End;
                if (!dead.Amap.IsNull)
                {
                    pe.Amap = dead.Amap;
                    pe.AmapPageOff = dead.AmapPageOff;
                }
                // NetBSD frees the dead entry without detaching its object reference; the model keeps its
                // reference counts exact.
                if (!dead.Object.IsNull)
                    Objects[dead.Object.Index].Refs--;
                UnlinkEntry(p, next);
                Entries.Release(next.Index);
            }
            else
            {
                // pull the next entry's amap backwards to cover this new allocation.
                if (!Entries[next.Index].Amap.IsNull && !AmapExtend(next, slots, forwards: false))
                    return false;
                ref var n2 = ref Entries[next.Index];
                n2.Start -= size;
                if (!uobj.IsNull)
                    n2.Offset = uoffset;
            }
            merged = true;
        }
        return Done(merged);

        bool Done(bool m)
        {
            if (m)
                p.Timestamp++; // the map changed
            return m;
        }
    }

    /// <summary>uvm_map_enter's nomerge path: a new entry for the range, linked after <paramref name="prev"/>.</summary>
    private void MapEnterNew(VmProc p, EntryId prev, ulong start, ulong end, EntryType newetype, ObjId uobj,
        ulong uoffset, Prot prot, Inherit inherit, bool overlay)
    {
        AmapId amap = AmapId.Null;
        if (overlay)
        {
            int nslot = (int)((end - start) >> PAGE_SHIFT);
            Amaps.Reserve(1);
            AmapSlots.Reserve(nslot);
            amap = AmapAlloc(nslot);
        }
        int ei = Entries.AllocGrowing();
        ref var e = ref Entries[ei];
        e = default;
        e.Start = start;
        e.End = end;
        e.Object = uobj;
        e.Offset = uoffset;
        e.Etype = newetype;
        e.Protection = prot;
        e.MaxProtection = Prot.ReadWrite;
        e.Inheritance = inherit;
        e.Advice = Advice.Normal;
        e.Amap = amap;
        if (!uobj.IsNull)
            Objects[uobj.Index].Refs++;
        LinkEntry(p, prev, new EntryId(ei));
    }
}
