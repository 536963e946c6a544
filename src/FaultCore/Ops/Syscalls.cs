using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>The process operations: what uvm_mmap.c and uvm_map.c do for the system calls the model offers.</summary>
public sealed partial class Machine
{
    private static bool ValidRange(ulong addr, int npages) =>
        npages > 0 && Aligned(addr) && addr < VM_MAXUSER_ADDRESS &&
        (ulong)npages <= (VM_MAXUSER_ADDRESS - addr) >> PAGE_SHIFT;

    /// <summary>The model's protections are none, r and rw (the MMU has no write-only pages).</summary>
    private static bool ValidProt(Prot prot) => prot is Prot.None or Prot.Read or Prot.ReadWrite;

    private static ulong End(ulong addr, int npages) => addr + ((ulong)npages << PAGE_SHIFT);

    private VmProc? LiveProc(ProcId pid) => Proc(pid) is { Alive: true } p ? p : null;

    /// <summary>vm_map_lock(map) until the end of the operation's scope (then vm_map_unlock, in the mode held).</summary>
    private MapLock LockMap(VmProc p)
    {
        Locks.VmMapLock(p);
        return new MapLock(Locks, p);
    }

    private FileId CreateFileImpl(int pages, bool resident)
    {
        if (pages < 1)
            throw new ArgumentOutOfRangeException(nameof(pages), "a file has at least one page");
        var id = new ObjId(Objects.Count);
        var uobj = new UvmObject(id, pages);
        Objects.Add(uobj);
        if (resident)
        {
            for (int i = 0; i < pages; i++)
            {
                var pg = Mem.Alloc(AnonId.Null, id, i, zero: false);
                if (pg.IsNull)
                    break; // as much as fits
                uobj.DiskPage(i).CopyTo(Mem.Frame(pg));
                Mem[pg].Flags = PageFlags.Clean;
                uobj.Resident[i] = pg;
                Mem.Activate(pg);
            }
        }
        return new FileId(id.Index);
    }

    private ProcId CreateProcessImpl()
    {
        if (DeadProcs.TryPeek(out var reused))
        {
            if (!Pmaps.Recreate(reused.Pmap))
                return default; // out of page-table pages
            DeadProcs.Pop();
            reused.Reincarnate();
            return new ProcId(reused.Id);
        }
        if (Procs.Count >= VmProc.MaxSlots)
            return default;
        int pmap = Pmaps.Create();
        if (pmap == 0)
            return default; // out of page-table pages
        var p = new VmProc(Procs.Count, pmap);
        Procs.Add(p);
        return new ProcId(p.Id);
    }

    private Errno MmapImpl(ProcId pid, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages) || !ValidProt(prot) || pgoff < 0 || !Enum.IsDefined(kind))
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
        var prev = next.IsNull ? LastEntry(p) : Entries[next.Index].Prev;
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

    private EntryId LastEntry(VmProc p)
    {
        var last = EntryId.Null;
        for (var e = p.First; !e.IsNull; e = Entries[e.Index].Next)
            last = e;
        return last;
    }

    private Errno MunmapImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        // sys_munmap's check that the entire range is allocated is #if 0: holes and unmapped ranges are fine.
        using var locked = LockMap(p);
        UnmapRange(p, addr, End(addr, npages));
        return Errno.OK;
    }

    /// <summary>uvm_unmap_remove + uvm_unmap_detach: clip, unwire, remove mappings, drop references.</summary>
    private void UnmapRange(VmProc p, ulong start, ulong end)
    {
        if (!ClipRangeAny(p, start, end, out var e))
            return;
        while (!e.IsNull && Entries[e.Index].Start < end)
        {
            var next = Entries[e.Index].Next;
            ref var r = ref Entries[e.Index];
            if (r.IsWired)
                UnwireEntry(p, e);
            Pmaps.Remove(p.Pmap, r.Start, r.End);
            UnlinkEntry(p, e);
            if (!r.Amap.IsNull)
                AmapUnref(r.Amap);
            if (!r.Object.IsNull)
                Objects[r.Object.Index].Refs--;
            Entries.Release(e.Index);
            e = next;
        }
    }

    /// <summary>Clips the entries overlapping [start, end) to it; false when none overlaps.</summary>
    private bool ClipRangeAny(VmProc p, ulong start, ulong end, out EntryId first)
    {
        ClipRange(p, start, end, out first);
        return !first.IsNull && Entries[first.Index].Start < end;
    }

    /// <summary>uvm_map_entry_unwire.</summary>
    private void UnwireEntry(VmProc p, EntryId e)
    {
        ref var r = ref Entries[e.Index];
        r.WiredCount = 0;
        UvmFault.FaultUnwire(this, p, r.Start, r.End);
    }

    private Errno MprotectImpl(ProcId pid, ulong addr, int npages, Prot prot)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages) || !ValidProt(prot))
            return Errno.EINVAL;
        using var locked = LockMap(p);
        ulong end = End(addr, npages);
        // uvm_map_protect acts on the entries inside the range: holes, or no entry at all, are not errors.
        var first = FirstEntryFrom(p, addr);
        // make a first pass to check for protection violations.
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
            if ((prot & Entries[e.Index].MaxProtection) != prot)
                return Errno.EACCES;
        if (!ClipRangeAny(p, addr, end, out first))
            return Errno.OK;
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            var old = r.Protection;
            r.Protection = prot;
            // update pmap! (pmap_protect never adds rights)
            if (old != prot)
                Pmaps.Protect(p.Pmap, r.Start, r.End, prot & (r.IsCopyOnWrite ? Prot.Read : Prot.ReadWrite));
        }
        p.Timestamp++;
        return Errno.OK;
    }

    private Errno MadviseImpl(ProcId pid, ulong addr, int npages, Advice advice)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages) || advice > Advice.Sequential)
            return Errno.EINVAL;
        using var locked = LockMap(p);
        ulong end = End(addr, npages);
        // uvm_map_advice: the entries inside the range, none at all included.
        if (!ClipRangeAny(p, addr, end, out var first))
            return Errno.OK;
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
            Entries[e.Index].Advice = advice;
        p.Timestamp++;
        return Errno.OK;
    }

    /// <summary>uvm_map_pageable(new_pageable = false), as sys_mlock calls it.</summary>
    private Errno MlockImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        using var locked = LockMap(p);
        ulong start = addr, end = End(addr, npages);
        if (!LookupEntry(p, start, out var startEntry))
            return Errno.ENOMEM; // EFAULT from uvm_map_pageable, ENOMEM from sys_mlock
        ClipStart(p, startEntry, start);

        // Pass 1: clip, create amaps for copy-on-write and zero-fill regions (not a fault: no fltamcopy),
        // count the wiring, and look for holes.
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 0 && r.IsNeedsCopy &&
                ((r.MaxProtection & Prot.Write) != 0 || r.Object.IsNull))
            {
                ReserveForFault(r.NPages);
                AmapCopy(p, e);
            }
            ClipStart(p, e, start);
            ClipEnd(p, e, end);
            ref var c = ref Entries[e.Index];
            c.WiredCount++;
            var next = c.Next;
            if (c.Protection == Prot.None ||
                (c.End < end && (next.IsNull || Entries[next.Index].Start > c.End)))
            {
                // found a hole. amap creation actions do not need to be undone, but the wired counts need to
                // be restored.
                for (var x = e; !x.IsNull && Entries[x.Index].End > start; x = Entries[x.Index].Prev)
                    Entries[x.Index].WiredCount--;
                return Errno.EINVAL;
            }
        }

        // Pass 2: fault the newly wired entries in, with the map downgraded to a read lock (the faults take it
        // for reading again).
        Locks.VmMapDowngrade(p);
        var rv = Errno.OK;
        var failed = EntryId.Null;
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 1)
            {
                rv = UvmFault.FaultWire(this, p, r.Start, r.End, r.MaxProtection, maxprot: true);
                if (rv != Errno.OK)
                {
                    failed = e;
                    break;
                }
            }
        }
        if (rv != Errno.OK)
        {
            // Get back to an exclusive (write) lock.
            Locks.VmMapUpgrade(p);
            // first drop the wiring count on all the entries which haven't actually been wired yet.
            for (var e = failed; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
                Entries[e.Index].WiredCount--;
            // uvm_fault_wire already unwired the failed entry's pages, while the entry still counted as wired:
            // uvm_fault_unwire skipped pmap_unwire, so those mappings stay marked wired in the pmap (as in 1.208).
            // now, unwire all the entries that were successfully wired above.
            for (var e = startEntry; e != failed; e = Entries[e.Index].Next)
            {
                Entries[e.Index].WiredCount--;
                if (!Entries[e.Index].IsWired)
                    UnwireEntry(p, e);
            }
            return rv == Errno.EFAULT ? Errno.ENOMEM : rv;
        }
        return Errno.OK;
    }

    /// <summary>uvm_map_pageable(new_pageable = true), as sys_munlock calls it.</summary>
    private Errno MunlockImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        using var locked = LockMap(p);
        ulong start = addr, end = End(addr, npages);
        if (!LookupEntry(p, start, out var startEntry))
            return Errno.ENOMEM;
        // unwiring. first ensure that the range to be unwired is really wired down and that there are no holes.
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 0 ||
                (r.End < end && (r.Next.IsNull || Entries[r.Next.Index].Start > r.End)))
                return Errno.EINVAL;
        }
        ClipStart(p, startEntry, start);
        // POSIX 1003.1b - a single munlock call unlocks a region, regardless of the number of mlock calls.
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ClipEnd(p, e, end);
            if (Entries[e.Index].IsWired)
                UnwireEntry(p, e);
        }
        return Errno.OK;
    }

    private Errno ForkImpl(ProcId parent, out ProcId child)
    {
        child = default;
        var p = LiveProc(parent);
        if (p is null)
            return Errno.EINVAL;
        var cid = CreateProcessImpl();
        if (cid.Value == 0)
            return Errno.ENOMEM;
        var c = Proc(cid)!;
        using var locked = LockMap(p); // uvmspace_fork: the old map, locked while it is copied
        var last = EntryId.Null;
        for (var e = p.First; !e.IsNull; e = Entries[e.Index].Next)
        {
            EntryId ne;
            if (Entries[e.Index].Inheritance == Inherit.Share)
            {
                // uvm_mapent_forkshared: if we are going to have to copy the amap we need to do it now before
                // we share it.
                if (Entries[e.Index].IsNeedsCopy)
                {
                    ReserveForFault(Entries[e.Index].NPages);
                    AmapCopy(p, e);
                }
                ne = CloneEntry(c, last, e, AmapFlags.Shared);
            }
            else
            {
                ne = ForkCopy(p, c, last, e);
                if (ne.IsNull)
                {
                    ExitImpl(cid);
                    return Errno.ENOMEM;
                }
            }
            last = ne;
        }
        child = cid;
        return Errno.OK;
    }

    /// <summary>uvm_mapent_clone: the child's copy of an entry (no wiring), with amap and object references.</summary>
    private EntryId CloneEntry(VmProc c, EntryId after, EntryId old, AmapFlags share)
    {
        int ni = Entries.AllocGrowing();
        ref var n = ref Entries[ni];
        n = Entries[old.Index];
        n.WiredCount = 0;
        if (!n.Amap.IsNull)
            AmapRef(n.Amap, share);
        if (!n.Object.IsNull)
            Objects[n.Object.Index].Refs++;
        var id = new EntryId(ni);
        LinkEntry(c, after, id);
        return id;
    }

    /// <summary>uvm_mapent_forkcopy: NULL if amap_cow_now ran out of memory.</summary>
    private EntryId ForkCopy(VmProc p, VmProc c, EntryId after, EntryId old)
    {
        // new_entry = old_entry, with amap/obj ref
        var ne = CloneEntry(c, after, old, AmapFlags.None);
        Entries[ne.Index].Etype |= EntryType.CopyOnWrite | EntryType.NeedsCopy;

        ref var o = ref Entries[old.Index];
        // the new entry will need an amap. we must copy it now if the old entry is wired, and we can't defer
        // the copy if the amap is shared with other processes.
        if (!o.Amap.IsNull && ((Amaps[o.Amap.Index].Flags & AmapFlags.Shared) != 0 || o.IsWired))
        {
            ReserveForFault(o.NPages);
            AmapCopy(c, ne);
        }

        if (Entries[old.Index].IsWired)
        {
            // the parent does not want page faults on access to that memory: resolve all copy-on-write
            // faults now.
            if (!Entries[old.Index].Amap.IsNull && !AmapCowNow(ne))
                return EntryId.Null;
        }
        else
        {
            // setup mappings to trigger copy-on-write faults: we must write-protect the parent if it has an
            // amap and it is not already "needs_copy".
            ref var oe = ref Entries[old.Index];
            if (!oe.Amap.IsNull && !oe.IsNeedsCopy)
            {
                if ((oe.MaxProtection & Prot.Write) != 0)
                    Pmaps.Protect(p.Pmap, oe.Start, oe.End, oe.Protection & ~Prot.Write);
                oe.Etype |= EntryType.NeedsCopy;
                p.Timestamp++;
            }
        }
        return ne;
    }

    private Errno ExitImpl(ProcId pid)
    {
        var p = LiveProc(pid);
        if (p is null)
            return Errno.EINVAL;
        using (LockMap(p))
            UnmapRange(p, 0, VM_MAXUSER_ADDRESS);
        Pmaps.Destroy(p.Pmap);
        p.Alive = false;
        DeadProcs.Push(p);
        return Errno.OK;
    }

    private AccessResult AccessImpl(ProcId pid, ulong addr, Prot access, byte value)
    {
        var p = LiveProc(pid);
        if (p is null)
            return new AccessResult(Errno.EINVAL, FaultCase.Failed, 0, 0, Prot.None, 0);
        ulong va = TruncPage(addr);
        int off = (int)(addr & PAGE_MASK);

        if (!Pmaps.Extract(p.Pmap, va, out var pg, out var prot, out _) || (prot & access) != access)
        {
            // No mapping with the needed right: trap to the fault entry point.
            ReserveForFaultAt(p, va);
            long before = counters.fltnamap + counters.fltnomap;
            var error = UvmFault.FaultInternal(this, p, va, access, FaultFlag.None, out var fcase, out int restarts);
            int neighbors = (int)(counters.fltnamap + counters.fltnomap - before);
            if (error != Errno.OK)
                return new AccessResult(error, FaultCase.Failed, restarts, neighbors, MappedProtImpl(pid, va), 0);
            if (!Pmaps.Extract(p.Pmap, va, out pg, out prot, out _) || (prot & access) != access)
                throw new InvalidOperationException($"model bug: fault at 0x{va:x} succeeded without a {access} mapping");
            return new AccessResult(Errno.OK, fcase, restarts, neighbors, prot, Touch(pg, off, access, value));
        }
        return new AccessResult(Errno.OK, FaultCase.Hit, 0, 0, prot, Touch(pg, off, access, value));
    }

    /// <summary>The access itself, on the page's real bytes (the MMU sets the reference and modify bits).</summary>
    private byte Touch(PageId pg, int off, Prot access, byte value)
    {
        ref var p = ref Mem[pg];
        p.Referenced = true;
        var frame = Mem.Frame(pg);
        if ((access & Prot.Write) != 0)
        {
            frame[off] = value;
            p.Flags &= ~PageFlags.Clean;
            return value;
        }
        return frame[off];
    }

    private Errno PageoutImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        bool any = false;
        Locks.VmMapLockRead(p);
        for (int i = 0; i < npages; i++)
        {
            ulong va = addr + ((ulong)i << PAGE_SHIFT);
            if (!LookupEntry(p, va, out var e))
                continue;
            any = true;
            var pg = PageBehind(in Entries[e.Index], va, out _);
            if (pg.IsPage)
                TryReclaim(pg);
        }
        Locks.VmMapUnlockRead(p);
        return any ? Errno.OK : Errno.EINVAL;
    }

    /// <summary>
    /// The resident page that backs va in the entry (the anon's if the amap has one there, else the object's),
    /// or NULL; <paramref name="anon"/> is the anon, if any.
    /// </summary>
    internal PageId PageBehind(in VmMapEntry e, ulong va, out AnonId anon)
    {
        anon = AnonId.Null;
        if (!e.Amap.IsNull)
        {
            anon = AmapLookup(in e, va - e.Start);
            if (!anon.IsNull)
                return Anons[anon.Index].Page;
        }
        return e.Object.IsNull ? PageId.Null : ObjectPage(in e, va);
    }

    /// <summary>uvm_pagelookup of the entry's object at the offset of va: its resident page, or NULL.</summary>
    internal PageId ObjectPage(in VmMapEntry e, ulong va)
    {
        var uobj = Objects[e.Object.Index];
        ulong pgoff = (e.Offset + (va - e.Start)) >> PAGE_SHIFT;
        return pgoff < (ulong)uobj.NPages ? uobj.Resident[pgoff] : PageId.Null;
    }
}
