using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>Files and processes: creation, fork (vmspace_fork, vm_map_copy_entry) and exit.</summary>
public sealed partial class FreeBsdMachine
{
    private FileId CreateFileImpl(int pages, bool resident)
    {
        if (pages < 1)
            throw new ArgumentOutOfRangeException(nameof(pages), "a file has at least one page");
        var file = new FileData(pages);
        Objects.Reserve(1);
        var obj = VmObjectAllocate(ObjType.Vnode, (ulong)pages << PAGE_SHIFT);
        // The vnode holds its object, not a reference: ref_count counts map entries and shadows.
        Obj(obj).RefCount = 0;
        Obj(obj).Vnode = Vnodes.Count;
        Vnodes.Add(new FbsdVnode(file, obj));
        if (resident)
        {
            for (int i = 0; i < pages; i++)
            {
                var pg = VmPageAlloc(obj, i, system: true);
                if (pg.IsNull)
                    break; // as much as fits
                file.Read(i, Mem.Frame(pg));
                Mem[pg].Flags = PageFlags.Clean;
                Valid[pg.Index] = VmPageBitsAll;
                Mem.Activate(pg);
            }
        }
        return new FileId(Vnodes.Count - 1);
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
            return default;
        var p = new VmProc(Procs.Count, pmap);
        Procs.Add(p);
        return new ProcId(p.Id);
    }

    /// <summary>
    /// vmspace_fork: the child's map is a copy of the parent's, its pmap empty (the era's pmap_copy copies nothing).
    /// An inherited-share entry shares the object; an inherited-copy entry is copied by vm_map_copy_entry.
    /// </summary>
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
        var last = EntryId.Null;
        for (var e = p.First; !e.IsNull; e = Entries[e.Index].Next)
        {
            // Clone the entry (VM_INHERIT_SHARE: referencing the object; VM_INHERIT_COPY: to be copied).
            int ni = Entries.AllocGrowing();
            ref var ne = ref Entries[ni];
            ne = Entries[e.Index];
            ne.WiredCount = 0;
            ne.EnteredWithMaxProt = false;
            var nid = new EntryId(ni);
            LinkEntry(c, last, nid);
            last = nid;
            if (Entries[e.Index].InheritShare)
            {
                VmObjectReference(ne.Object);
                continue;
            }
            Entries[ni].Object = ObjId.Null;
            if (VmMapCopyEntry(p, c, e, nid) != Errno.OK)
            {
                ExitImpl(cid);
                return Errno.ENOMEM;
            }
        }
        child = cid;
        return Errno.OK;
    }

    /// <summary>
    /// vm_map_copy_entry: copies the contents of the source entry into the destination entry. A pageable entry is
    /// made copy-on-write for both (the source first collapses its object, then both reference it, needs_copy and
    /// copy_on_write set; the source's mappings lose write unless it already needs a copy). Of course, wired down
    /// pages can't be set copy-on-write: they are copied into the new map (vm_fault_copy_entry).
    /// </summary>
    private Errno VmMapCopyEntry(VmProc srcMap, VmProc dstMap, EntryId src, EntryId dst)
    {
        ref var srcEntry = ref Entries[src.Index];
        ref var dstEntry = ref Entries[dst.Index];
        if (srcEntry.WiredCount == 0)
        {
            // If the source entry is marked needs_copy, it is already write-protected.
            if (!srcEntry.NeedsCopy)
                Pmaps.Protect(srcMap.Pmap, srcEntry.Start, srcEntry.End, srcEntry.Protection & ~Prot.Write);

            // Make a copy of the object.
            if (!srcEntry.Object.IsNull)
            {
                if (Obj(srcEntry.Object).IsAnonymous)
                    VmObjectCollapse(srcEntry.Object);
                Obj(srcEntry.Object).RefCount++;
                srcEntry.CopyOnWrite = true;
                srcEntry.NeedsCopy = true;
                dstEntry.NeedsCopy = true;
                dstEntry.CopyOnWrite = true;
                dstEntry.Object = srcEntry.Object;
                dstEntry.Offset = srcEntry.Offset;
                srcMap.Timestamp++;
            }
            else
            {
                dstEntry.Object = ObjId.Null;
                dstEntry.Offset = 0;
            }
            // pmap_copy(dst_map->pmap, src_map->pmap, ...): the era's i386 pmap_copy copies nothing.
            return Errno.OK;
        }
        // Cause wired pages to be copied into the new map by simulating faults (the new pages are pageable).
        return FreeBsdFault.VmFaultCopyEntry(this, dstMap, ref dstEntry, in srcEntry);
    }

    private Errno ExitImpl(ProcId pid)
    {
        var p = LiveProc(pid);
        if (p is null)
            return Errno.EINVAL;
        UnmapRange(p, 0, VM_MAXUSER_ADDRESS);
        Pmaps.Destroy(p.Pmap);
        p.Alive = false;
        DeadProcs.Push(p);
        return Errno.OK;
    }
}
