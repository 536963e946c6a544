using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>mmap (vm_mmap), munmap (vm_map_delete) and mprotect (vm_map_protect).</summary>
public sealed partial class FreeBsdMachine
{
    private static bool ValidRange(ulong addr, int npages) =>
        npages > 0 && Aligned(addr) && addr < VM_MAXUSER_ADDRESS &&
        (ulong)npages <= (VM_MAXUSER_ADDRESS - addr) >> PAGE_SHIFT;

    private static bool ValidProt(Prot prot) => prot is Prot.None or Prot.Read or Prot.ReadWrite;

    private static ulong End(ulong addr, int npages) => addr + ((ulong)npages << PAGE_SHIFT);

    /// <summary>
    /// vm_mmap at a fixed address: the objects are made at once. An anonymous mapping gets an anonymous object of
    /// its own (the swap pager's, with no swap yet and no handle); a private file mapping a private OBJT_DEFAULT
    /// object backed by the vnode object, copy-on-write; a shared file mapping maps the vnode object itself. A
    /// file's resident, valid pages are premapped read-only (pmap_object_init_pt).
    /// </summary>
    private Errno MmapImpl(ProcId pid, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages) || !ValidProt(prot) || pgoff < 0 || pgoff > MachineConfig.MaxFilePages || !Enum.IsDefined(kind))
            return Errno.EINVAL;
        bool isFile = kind is MapKind.FilePrivate or MapKind.FileShared;
        if (isFile && (file.Value <= 0 || file.Value >= Vnodes.Count))
            return Errno.EINVAL;
        ulong end = End(addr, npages);
        var next = FirstEntryFrom(p, addr);
        if (!next.IsNull && Entries[next.Index].Start < end)
            return Errno.EINVAL; // overlaps an existing mapping: nothing changes
        ulong size = end - addr;
        ulong foff = (ulong)pgoff << PAGE_SHIFT;

        Objects.Reserve(1);
        ObjId obj;
        ulong offset = 0;
        ObjId vnodeObject = isFile ? Vnodes[file.Value]!.Object : ObjId.Null;
        switch (kind)
        {
            case MapKind.FileShared:
                obj = vnodeObject;
                VmObjectReference(obj);
                offset = foff;
                break;
            case MapKind.FilePrivate:
                // object2: a private default object over the vnode's, holding the vnode object's reference.
                obj = VmObjectAllocate(ObjType.Default, size);
                VmObjectReference(vnodeObject);
                Obj(obj).BackingObject = vnodeObject;
                Obj(obj).BackingObjectOffset = foff;
                ShadowListInsert(vnodeObject, obj);
                break;
            default:
                obj = VmObjectAllocate(ObjType.Swap, size);
                break;
        }

        int ei = Entries.AllocGrowing();
        ref var e = ref Entries[ei];
        e = default;
        e.Start = addr;
        e.End = end;
        e.Object = obj;
        e.Offset = offset;
        e.Protection = prot;
        e.MaxProtection = Prot.ReadWrite;
        e.InheritShare = kind is MapKind.AnonShared or MapKind.FileShared;
        e.CopyOnWrite = kind == MapKind.FilePrivate;
        var prev = next.IsNull ? LastEntry(p) : Entries[next.Index].Prev;
        LinkEntry(p, prev, new EntryId(ei));

        // "Pre-fault" resident pages (only where the mapping may be read: see docs/model-freebsd.md).
        if (isFile && (prot & Prot.Read) != 0)
            PmapObjectInitPt(p, addr, vnodeObject, (int)pgoff, npages);

        if (wired)
        {
            var error = MlockImpl(pid, addr, npages);
            if (error != Errno.OK)
            {
                UnmapRange(p, addr, end);
                return error;
            }
        }
        return Errno.OK;
    }

    /// <summary>pmap_object_init_pt: enter the object's resident, valid, non-busy pages of the range read-only.</summary>
    private void PmapObjectInitPt(VmProc p, ulong addr, ObjId obj, int pindex, int npages)
    {
        Pmaps.Pv.Reserve(Math.Min(npages, Obj(obj).ResidentPageCount) + 1);
        for (int i = 0; i < npages; i++)
        {
            var pg = VmPageLookup(obj, pindex + i);
            if (!pg.IsPage || (Mem[pg].Flags & PageFlags.Busy) != 0 || Valid[pg.Index] != VmPageBitsAll)
                continue;
            if (Pmaps.Enter(p.Pmap, addr + ((ulong)i << PAGE_SHIFT), pg, Prot.Read, Prot.None, wired: false) != Errno.OK)
                return; // out of page tables: premapping is only an optimisation
            PFlags[pg.Index] |= FbsdPageFlags.Mapped;
        }
    }

    private Errno MunmapImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        UnmapRange(p, addr, End(addr, npages));
        return Errno.OK;
    }

    /// <summary>
    /// vm_map_delete: clip, unwire (vm_map_entry_unwire), remove the mappings, and delete each entry (which may
    /// delete its object) only after removing all pmap entries pointing to its pages.
    /// </summary>
    private void UnmapRange(VmProc p, ulong start, ulong end)
    {
        var e = FirstEntryFrom(p, start);
        if (e.IsNull || Entries[e.Index].Start >= end)
            return;
        ClipStart(p, e, start);
        while (!e.IsNull && Entries[e.Index].Start < end)
        {
            ClipEnd(p, e, end);
            var next = Entries[e.Index].Next;
            ref var r = ref Entries[e.Index];
            if (r.WiredCount != 0)
            {
                FreeBsdFault.VmFaultUnwire(this, p, r.Start, r.End);
                r.WiredCount = 0;
            }
            Pmaps.Remove(p.Pmap, r.Start, r.End);
            UnlinkEntry(p, e);
            var obj = r.Object;
            Entries.Release(e.Index);
            VmObjectDeallocate(obj);
            e = next;
        }
    }

    /// <summary>vm_map_protect: the new protection must be within max_protection (EACCES); mappings are reduced
    /// to the new protection, without write for a copy-on-write entry.</summary>
    private Errno MprotectImpl(ProcId pid, ulong addr, int npages, Prot prot)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages) || !ValidProt(prot))
            return Errno.EINVAL;
        ulong end = End(addr, npages);
        var first = FirstEntryFrom(p, addr);
        // Make a first pass to check for protection violations.
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
            if ((prot & Entries[e.Index].MaxProtection) != prot)
                return Errno.EACCES;
        if (first.IsNull || Entries[first.Index].Start >= end)
            return Errno.OK;
        ClipStart(p, first, addr);
        // Go back and fix up protections.
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ClipEnd(p, e, end);
            ref var r = ref Entries[e.Index];
            var old = r.Protection;
            r.Protection = prot;
            // Update physical map if necessary. Worry about copy-on-write here -- CHECK THIS XXX
            if (old != prot)
            {
                Pmaps.Protect(p.Pmap, r.Start, r.End, prot & (r.CopyOnWrite ? ~Prot.Write : Prot.ReadWrite));
                r.EnteredWithMaxProt = false; // pmap_protect left no mapping with more rights than the entry's
            }
        }
        p.Timestamp++;
        return Errno.OK;
    }
}
