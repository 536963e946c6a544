using System.Runtime.CompilerServices;
using static FaultLab.Core.Param;

namespace FaultLab.Core;

// vm_fault.c 1.32 (1995-09-24), FreeBSD's Mach-derived fault handler: shadow-object chains instead of amaps.
//
//   vm_map_lookup                 the entry, its (first) object and offset; a write to a needs_copy entry shadows
//                                 the object right there, with the map locked (no restart)
//   the walk                      vm_page_lookup in the first object, then down backing_object, offset +=
//                                 backing_object_offset; a placeholder page is kept busy in the first object
//   the pager                     a non-resident page of a vnode or swap object is read, clustered by
//                                 vm_fault_additional_pages (3 behind, 4 ahead)
//   end of chain                  zero fill in the first object
//   found below the first object  write: copy into the first object's page, vm_page_protect(NONE) of the old one,
//                                 collapse; read: map the deeper page without write
//   re-lookup                     if the map was unlocked for the pager, the lookup must still hold
//   enter                         pmap_enter of the one page, wiring or activation, rusage
//
// Locking (the model is single-threaded; the comments say what the kernel holds): the map is read-locked from
// vm_map_lookup until UNLOCK_MAP (before a pager read, or at the end); "we must either have the object lock or a
// busy page in some object"; paging_in_progress is held on every object for which we have a busy page, so that
// vm_object_collapse cannot remove it under us.

/// <summary>
/// The generic fault path of the FreeBSD 1995 family: vm_fault, one pass of it per RetryFault, with the seed's
/// names and structure (its gotos included). The reference every other path is derived from and compared against.
/// </summary>
internal static partial class FreeBsdFault
{
    internal const int VM_FAULT_READ_AHEAD = 4;
    internal const int VM_FAULT_READ_BEHIND = 3;
    internal const int VM_FAULT_READ = VM_FAULT_READ_AHEAD + VM_FAULT_READ_BEHIND + 1;

    private static int Pindex(ulong offset) => (int)(offset >> PAGE_SHIFT);

    /// <summary>
    /// vm_fault: handle a page fault occuring at the given address, requiring the given permissions, in the map
    /// specified. If successful, the page is inserted into the associated physical map. The map in question must
    /// be referenced, and remains so. Caller may hold no locks.
    /// </summary>
    [SkipLocalsInit] // marray is written before it is read, as the seed's stack array is
    internal static Errno VmFault(FreeBsdMachine vm, VmProc map, ulong vaddr, Prot faultType, bool changeWiring,
        out FbsdCase fcase, out int depth, out int io, out int restarts)
    {
        vm.Cnt.v_vm_faults++; // needs lock XXX
        var fs = new FbsdFault
        {
            Map = map,
            Vaddr = TruncPage(vaddr),
            FaultType = faultType,
            ChangeWiring = changeWiring,
        };
        Span<PageId> marray = stackalloc PageId[VM_FAULT_READ];
        restarts = 0;
        Errno result;
        for (;;)
        {
            // RetryFault: find the backing store object and offset into it to begin the search.
            result = vm.VmMapLookup(map, fs.Vaddr, fs.FaultType, out fs.Entry, out fs.FirstObject,
                out fs.FirstOffset, out fs.Prot, out fs.Wired);
            if (result != Errno.OK)
                break;
            FbsdSpec.Configure(vm, ref fs);
            if (vm.Path == FaultPath.Generic)
                result = FaultPass(vm, ref fs, marray);
            else
                result = DispatchPass(vm, ref fs, marray);
            if (result != Errno.ERESTART)
                break;
            restarts++;
            if (fs.Waits > FreeBsdMachine.MaxWaitsPerFault)
            {
                result = Errno.ENOMEM;
                break;
            }
        }
        fcase = result == Errno.OK ? fs.Case : FbsdCase.Failed;
        depth = result == Errno.OK ? fs.Depth : 0;
        io = fs.Io;
        return result;
    }

    /// <summary>
    /// One pass of a specialized fault path: the variant of the pass's configuration (<see cref="FbsdSpec.Select"/>
    /// reads it from what the lookup found), or the generic pass when no variant is declared for it. Every pass
    /// is dispatched anew after RetryFault.
    /// </summary>
    private static Errno DispatchPass(FreeBsdMachine vm, ref FbsdFault fs, Span<PageId> marray)
    {
        FbsdSpec.Select(vm, in fs, out bool wired, out bool copyOnWrite, out ObjType first);
        return vm.Path == FaultPath.Specialized
            ? SpecializedPass(wired, copyOnWrite, first, vm, ref fs, marray)
            : MonomorphizedPass(wired, copyOnWrite, first, vm, ref fs, marray);
    }

    [FaultPathDispatch("specialized")]
    private static partial Errno SpecializedPass(bool wired, bool copyOnWrite, ObjType first, FreeBsdMachine vm,
        ref FbsdFault fs, Span<PageId> marray);

    [FaultPathDispatch("monomorphized")]
    private static partial Errno MonomorphizedPass(bool wired, bool copyOnWrite, ObjType first, FreeBsdMachine vm,
        ref FbsdFault fs, Span<PageId> marray);

    /// <summary>
    /// The type of the object the walk is at. The first object's is the pass's configuration (the first-object
    /// axis); a deeper one's is read from the object.
    /// </summary>
    private static ObjType TypeAt(FreeBsdMachine vm, in FbsdFault fs, ObjId obj) =>
        obj == fs.FirstObject ? FbsdSpec.FirstObject(fs.FirstType) : vm.Obj(obj).Type;

    /// <summary>
    /// vm_fault from the lookup on: the chain walk, the pager, zero fill, the copy, the re-lookup, the enter.
    /// => called after vm_map_lookup succeeded (locked: map, for reading). Returns ERESTART for "goto RetryFault".
    /// </summary>
    [FaultPathEntry]
    private static Errno FaultPass(FreeBsdMachine vm, ref FbsdFault fs, Span<PageId> marray)
    {
        // vp = vnode_pager_lock(first_object): the model has no vnode locks.
        bool lookupStillValid = true;

        if (FbsdSpec.Wired(fs.Wired))
            fs.FaultType = fs.Prot;

        var firstObject = fs.FirstObject;
        ulong firstOffset = fs.FirstOffset;
        var firstM = PageId.Null;

        // Make a reference to this object to prevent its disposal while we are messing with it. Once we have the
        // reference, the map is free to be diddled. Since objects reference their shadows (and copies), they will
        // stay around as well.
        vm.Obj(firstObject).RefCount++;
        vm.Obj(firstObject).PagingInProgress++;

        // INVARIANTS (through entire routine):
        // 1) At all times, we must either have the object lock or a busy page in some object to prevent some
        //    other process from trying to bring in the same page.
        // 2) Once we have a busy page, we must remove it from the pageout queues, so that the pageout daemon will
        //    not grab it away.
        // 3) To prevent another process from racing us down the shadow chain and entering a new page in the top
        //    object before we do, we must keep a busy page in the top object while following the shadow chain.
        // 4) We must increment paging_in_progress on any object for which we have a busy page, to prevent
        //    vm_object_collapse from removing the busy page without our noticing.

        // Search for the page at object/offset.
        var obj = firstObject;
        ulong offset = firstOffset;
        int depth = 0;
        PageId m;

        // See whether this page is resident
        while (true)
        {
            m = vm.VmPageLookup(obj, Pindex(offset));
            if (!m.IsNull)
            {
                // If the page is being brought in, wait for it and then retry.
                if ((vm.Mem[m].Flags & PageFlags.Busy) != 0)
                {
                    UnlockThings(vm, ref lookupStillValid, obj, firstObject, firstM);
                    vm.Cnt.v_intrans++; // tsleep(m, PSWP, "vmpfw", 0)
                    vm.VmObjectDeallocate(firstObject);
                    return Errno.ERESTART;
                }

                // Mark page busy for other processes, and the pagedaemon. (PG_CACHE: the model has no cache
                // queue, so the cached-page-under-low-memory wait does not arise.)
                vm.Mem[m].Flags |= PageFlags.Busy;
                if (vm.Valid[m.Index] != 0 && vm.Valid[m.Index] != FreeBsdMachine.VmPageBitsAll)
                    goto readrest;
                break;
            }
            if ((TypeAt(vm, in fs, obj) != ObjType.Default && (!fs.ChangeWiring || FbsdSpec.Wired(fs.Wired)))
                || obj == firstObject)
            {
                if (offset >= vm.Obj(obj).Size)
                {
                    UnlockAndDeallocate(vm, ref lookupStillValid, obj, firstObject, firstM);
                    return Errno.EFAULT; // KERN_PROTECTION_FAILURE
                }

                // Allocate a new page for this object/offset pair.
                m = vm.VmPageAlloc(obj, Pindex(offset));
                if (m.IsNull)
                {
                    UnlockAndDeallocate(vm, ref lookupStillValid, obj, firstObject, firstM);
                    return vm.VmWait(ref fs.Waits) ? Errno.ERESTART : Errno.ENOMEM; // VM_WAIT; goto RetryFault
                }
            }
        readrest:
            if (TypeAt(vm, in fs, obj) != ObjType.Default && (!fs.ChangeWiring || FbsdSpec.Wired(fs.Wired)))
            {
                // now we find out if any other pages should be paged in at this time: the pages surrounding this
                // fault that reside in the same object are faulted in also. marray holds them, reqpage is the
                // index of the page passed in.
                int faultcount = VmFaultAdditionalPages(vm, m, VM_FAULT_READ_BEHIND, VM_FAULT_READ_AHEAD, marray, out int reqpage);

                // Call the pager to retrieve the data, if any, after releasing the lock on the map.
                UnlockMap(ref lookupStillValid);

                var rv = faultcount != 0 ? vm.VmPagerGetPages(obj, marray, faultcount, reqpage) : PagerResult.Fail;
                if (rv == PagerResult.Ok)
                {
                    // Found the page. Leave it busy while we play with it. Relookup in case pager changed page.
                    // Pager is responsible for disposition of old page if moved.
                    m = vm.VmPageLookup(obj, Pindex(offset));
                    if (m.IsNull)
                    {
                        UnlockAndDeallocate(vm, ref lookupStillValid, obj, firstObject, firstM);
                        return Errno.ERESTART;
                    }
                    // pmap_clear_modify: the page is as its pager has it.
                    vm.Mem[m].Flags |= PageFlags.Clean;
                    vm.Valid[m.Index] = FreeBsdMachine.VmPageBitsAll;
                    vm.Mem[m].Flags |= PageFlags.Busy;
                    fs.HardFault++;
                    fs.Io += faultcount;
                    break;
                }

                // Remove the bogus page (which does not exist at this object/offset); also wake up any other
                // process that may want to bring in this page. If this is the top-level object, we must leave the
                // busy page to prevent another process from rushing past us, and inserting the page in that object
                // at the same time that we are.
                // Data outside the range of the pager or an I/O error:
                if (rv == PagerResult.Error || rv == PagerResult.Bad)
                {
                    vm.PageWakeup(m);
                    vm.VmPageFree(m);
                    if (obj == firstObject)
                        firstM = PageId.Null;
                    UnlockAndDeallocate(vm, ref lookupStillValid, obj, firstObject, firstM);
                    return rv == PagerResult.Error ? Errno.EIO : Errno.EFAULT; // KERN_FAILURE : KERN_PROTECTION_FAILURE
                }
                if (obj != firstObject)
                {
                    vm.PageWakeup(m);
                    vm.VmPageFree(m);
                    // XXX - we cannot just fall out at this point, m has been freed and is invalid!
                }
            }

            // We get here if the object has default pager (or unwiring) or the pager doesn't have the page.
            if (obj == firstObject)
                firstM = m;

            // Move on to the next object. Lock the next object before unlocking the current one.
            offset += vm.Obj(obj).BackingObjectOffset;
            var nextObject = NextObject(vm, in fs, obj);
            if (nextObject.IsNull)
            {
                // If there's no object left, fill the page in the top object with zeros.
                if (obj != firstObject)
                {
                    vm.VmObjectPipWakeup(obj);
                    obj = firstObject;
                    offset = firstOffset;
                    m = firstM;
                }
                firstM = PageId.Null;

                vm.Mem.Frame(m).Clear(); // vm_page_zero_fill (the model keeps no pre-zeroed pages: PG_ZERO is never set)
                vm.Mem[m].Flags &= ~PageFlags.Fake;
                vm.Valid[m.Index] = FreeBsdMachine.VmPageBitsAll;
                vm.Cnt.v_zfod++;
                fs.Case = FbsdCase.Zfod;
                depth = 0;
                break;
            }
            if (obj != firstObject)
                vm.VmObjectPipWakeup(obj);
            obj = nextObject;
            depth++;
            vm.Obj(obj).PagingInProgress++;
        }

        K.Assert((vm.Mem[m].Flags & PageFlags.Busy) != 0, "vm_fault: not busy after main loop");

        // PAGE HAS BEEN FOUND. [Loop invariant still holds -- the object lock is held.]
        if (fs.Case != FbsdCase.Zfod)
            fs.Case = FbsdCase.Soft;

        // If the page is being written, but isn't already owned by the top-level object, we have to copy it into
        // a new page owned by the top-level object.
        if (obj != firstObject)
        {
            // We only really need to copy if we want to write it.
            if ((fs.FaultType & Prot.Write) != 0)
            {
                // If we try to collapse first_object at this point, we may deadlock when we try to get the lock on
                // an intermediate object (since we have the bottom object locked). We can't unlock the bottom
                // object, because the page we found may move (by collapse) if we do. Instead, we first copy the
                // page. Then, when we have no more use for the bottom object, we unlock it and try to collapse.
                // We already have an empty page in first_object - use it.
                vm.VmPageCopy(m, firstM);

                // If another map is truly sharing this page with us, we have to flush all uses of the original
                // page, since we can't distinguish those which want the original from those which need the new copy.
                if (vm.Mem[m].Queue != PageQueue.Active)
                    vm.Mem.Activate(m);
                vm.Pmaps.PageProtect(m, Prot.None); // vm_page_protect(m, VM_PROT_NONE)

                // We no longer need the old page or object.
                vm.PageWakeup(m);
                vm.VmObjectPipWakeup(obj);

                // Only use the new page below...
                vm.Cnt.v_cow_faults++;
                fs.Case = FbsdCase.Cow;
                m = firstM;
                obj = firstObject;
                offset = firstOffset;

                // Now that we've gotten the copy out of the way, let's try to collapse the top object. But we have
                // to play ugly games with paging_in_progress to do that...
                vm.VmObjectPipWakeup(obj);
                vm.VmObjectCollapse(obj);
                vm.Obj(obj).PagingInProgress++;
            }
            else
            {
                fs.Prot &= ~Prot.Write;
                vm.PFlags[m.Index] |= FbsdPageFlags.CopyOnWrite;
                fs.Case = FbsdCase.Shadow;
            }
        }
        fs.Depth = depth;

        // We must verify that the maps have not changed since our last lookup.
        if (!lookupStillValid)
        {
            // To avoid trying to write_lock the map while another process has it read_locked (in
            // vm_map_pageable), we do not try for write permission. If the page is still writable, we will get
            // write permission. If it is not, or has been marked needs_copy, we enter the mapping without write
            // permission, and will merely take another fault.
            var result = vm.VmMapLookup(fs.Map, fs.Vaddr, fs.FaultType & ~Prot.Write, out _, out var retryObject,
                out ulong retryOffset, out var retryProt, out bool wired);

            // If we don't need the page any longer, put it on the active list (the easiest thing to do here).
            if (result != Errno.OK)
            {
                ReleasePage(vm, m);
                UnlockAndDeallocate(vm, ref lookupStillValid, obj, firstObject, firstM);
                return result;
            }
            lookupStillValid = true;
            K.Assert(wired == fs.Wired, "the entry's wiring is the pass's configuration");

            if (retryObject != firstObject || retryOffset != firstOffset)
            {
                ReleasePage(vm, m);
                UnlockAndDeallocate(vm, ref lookupStillValid, obj, firstObject, firstM);
                return Errno.ERESTART;
            }

            // Check whether the protection has changed or the object has been copied while we left the map
            // unlocked. Changing from read to write permission is OK - we leave the page write-protected, and
            // catch the write fault. Changing from write to read permission means that we can't mark the page
            // write-enabled after all.
            fs.Prot &= retryProt;
            if ((vm.PFlags[m.Index] & FbsdPageFlags.CopyOnWrite) != 0)
                fs.Prot &= ~Prot.Write;
        }

        // (the various bits we're fiddling with here are locked by the object's lock)
        // XXX This distorts the meaning of the copy_on_write bit
        if ((fs.Prot & Prot.Write) != 0)
            vm.PFlags[m.Index] &= ~FbsdPageFlags.CopyOnWrite;

        // It's critically important that a wired-down page be faulted only once in each map for which it is wired.
        // Put this page into the physical map. We had to do the unlock above because pmap_enter may cause other
        // faults. We don't put the page back on the active queue until later so that the page-out daemon won't
        // find us (yet).
        if ((fs.Prot & Prot.Write) != 0)
        {
            vm.PFlags[m.Index] |= FbsdPageFlags.Writeable;
            vm.Obj(vm.Mem[m].Object).Flags |= ObjFlags.Writeable;
            // If the fault is a write, we know that this page is being written NOW. This will save on the
            // pmap_is_modified() calls later.
            if ((fs.FaultType & Prot.Write) != 0)
                vm.Mem[m].Flags &= ~PageFlags.Clean; // m->dirty = VM_PAGE_BITS_ALL
        }
        vm.PFlags[m.Index] |= FbsdPageFlags.Mapped;
        vm.Mem[m].Referenced = true; // PG_REFERENCED

        if (vm.Pmaps.Enter(fs.Map.Pmap, fs.Vaddr, m, fs.Prot, Prot.None, FbsdSpec.Wired(fs.Wired)) != Errno.OK)
        {
            // The 1995 pmap_enter cannot fail; the model's page tables come from a fixed pool (docs/model-freebsd.md).
            ReleasePage(vm, m);
            UnlockAndDeallocate(vm, ref lookupStillValid, obj, firstObject, firstM);
            return vm.VmWait(ref fs.Waits) ? Errno.ERESTART : Errno.ENOMEM;
        }
        // pmap_prefault is #if 0 in 1.32: no neighbours are entered.

        // If the page is not wired down, then put it where the pageout daemon can find it.
        if (fs.ChangeWiring)
        {
            if (FbsdSpec.Wired(fs.Wired))
                vm.Mem.Wire(m); // vm_page_wire
            else
                vm.VmPageUnwire(m);
        }
        else if (vm.Mem[m].Queue != PageQueue.Active)
        {
            vm.Mem.Activate(m);
        }

        // rusage (curproc is in memory and has its stats in the model)
        if (fs.HardFault != 0)
            vm.Cnt.majflt++;
        else
            vm.Cnt.minflt++;

        // Unlock everything, and return
        vm.PageWakeup(m);
        UnlockAndDeallocate(vm, ref lookupStillValid, obj, firstObject, firstM);
        return Errno.OK;
    }

    /// <summary>
    /// The next object of the chain. An entry that is not copy-on-write (a shared mapping, or a private anonymous
    /// one before its first fork) has a first object that shadows nothing (vm_mmap and fork make it so, and
    /// collapse only shortens chains): the copy-on-write axis.
    /// </summary>
    private static ObjId NextObject(FreeBsdMachine vm, in FbsdFault fs, ObjId obj)
    {
        if (!FbsdSpec.CopyOnWrite(fs.CopyOnWrite))
        {
            K.Assert(vm.Obj(obj).BackingObject.IsNull, "a non-copy-on-write entry's object shadows nothing");
            return ObjId.Null;
        }
        return vm.Obj(obj).BackingObject;
    }

    /// <summary>UNLOCK_MAP: vm_map_lookup_done, once.</summary>
    private static void UnlockMap(ref bool lookupStillValid) => lookupStillValid = false;

    /// <summary>
    /// UNLOCK_THINGS: the current object's paging reference; the placeholder page and the first object's paging
    /// reference when the walk is below the first object; the map.
    /// </summary>
    private static void UnlockThings(FreeBsdMachine vm, ref bool lookupStillValid, ObjId obj, ObjId firstObject, PageId firstM)
    {
        vm.VmObjectPipWakeup(obj);
        if (obj != firstObject)
        {
            if (!firstM.IsNull)
            {
                vm.PageWakeup(firstM); // FREE_PAGE(first_m)
                vm.VmPageFree(firstM);
            }
            vm.VmObjectPipWakeup(firstObject);
        }
        UnlockMap(ref lookupStillValid);
    }

    /// <summary>UNLOCK_AND_DEALLOCATE: UNLOCK_THINGS, then the fault's reference on the first object goes.</summary>
    private static void UnlockAndDeallocate(FreeBsdMachine vm, ref bool lookupStillValid, ObjId obj, ObjId firstObject, PageId firstM)
    {
        UnlockThings(vm, ref lookupStillValid, obj, firstObject, firstM);
        vm.VmObjectDeallocate(firstObject);
    }

    /// <summary>RELEASE_PAGE: PAGE_WAKEUP, and onto the active queue.</summary>
    private static void ReleasePage(FreeBsdMachine vm, PageId m)
    {
        vm.PageWakeup(m);
        if (vm.Mem[m].Queue != PageQueue.Active)
            vm.Mem.Activate(m);
    }
}
