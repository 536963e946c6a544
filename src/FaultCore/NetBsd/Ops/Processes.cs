using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>Files and processes: creation, fork (uvmspace_fork) and exit.</summary>
public sealed partial class Machine
{
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
                uobj.File.Read(i, Mem.Frame(pg));
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
}
