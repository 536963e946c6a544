using static FaultLab.Core.Param;

namespace FaultLab.Core;

internal static partial class FreeBsdFault
{
    /// <summary>
    /// vm_fault_additional_pages: checks around the requested page for other pages that might be able to be
    /// faulted in, and brackets the viable pages for the pages to be paged in: up to <paramref name="rbehind"/>
    /// behind and <paramref name="rahead"/> ahead, limited by what the pager holds contiguously, stopped at the
    /// first resident page in each direction, and cut to the one page when free memory is short.
    /// </summary>
    /// <returns>The number of pages in <paramref name="marray"/> (0: the pager does not have the page);
    /// <paramref name="reqpage"/> is the index of the requested page in it.</returns>
    private static int VmFaultAdditionalPages(FreeBsdMachine vm, PageId m, int rbehind, int rahead,
        Span<PageId> marray, out int reqpage)
    {
        var obj = vm.Mem[m].Object;
        ulong offset = (ulong)vm.Mem[m].Offset << PAGE_SHIFT;
        reqpage = 0;

        // if the requested page is not available, then give up now
        if (!vm.VmPagerHasPage(obj, offset, out int cbehind, out int cahead))
            return 0;

        if (cbehind == 0 && cahead == 0)
        {
            reqpage = 0;
            marray[0] = m;
            return 1;
        }
        if (rahead > cahead)
            rahead = cahead;
        if (rbehind > cbehind)
            rbehind = cbehind;

        // try to do any readahead that we might have free pages for. (pagedaemon_wakeup: the model's daemon runs
        // when a fault waits.)
        if (rahead + rbehind > vm.Mem.FreeCount - vm.FreeReserved)
        {
            reqpage = 0;
            marray[0] = m;
            return 1;
        }

        // scan backward for the read behind pages -- in memory or on disk not in same object
        ulong startoffset;
        ulong toffset = offset - PAGE_SIZE;
        if (toffset < offset)
        {
            if ((ulong)rbehind * PAGE_SIZE > offset)
                rbehind = (int)(offset / PAGE_SIZE);
            startoffset = offset - (ulong)rbehind * PAGE_SIZE;
            while (toffset >= startoffset)
            {
                if (!vm.VmPageLookup(obj, Pindex(toffset)).IsNull)
                {
                    startoffset = toffset + PAGE_SIZE;
                    break;
                }
                if (toffset == 0)
                    break;
                toffset -= PAGE_SIZE;
            }
        }
        else
        {
            startoffset = offset;
        }

        // scan forward for the read ahead pages -- in memory or on disk not in same object
        toffset = offset + PAGE_SIZE;
        ulong endoffset = offset + (ulong)(rahead + 1) * PAGE_SIZE;
        if (endoffset > vm.Obj(obj).Size)
            endoffset = vm.Obj(obj).Size;
        while (toffset < endoffset)
        {
            if (!vm.VmPageLookup(obj, Pindex(toffset)).IsNull)
                break;
            toffset += PAGE_SIZE;
        }
        endoffset = toffset;

        // calculate number of bytes of pages
        int size = (int)((endoffset - startoffset) / PAGE_SIZE);
        // calculate the page offset of the required page
        int treqpage = (int)((offset - startoffset) / PAGE_SIZE);

        // see if we have space (again)
        if (vm.Mem.FreeCount > vm.FreeReserved + size)
        {
            // get our pages and don't block for them
            for (int i = 0; i < size; i++)
            {
                if (i != treqpage)
                {
                    var rtm = vm.VmPageAlloc(obj, Pindex(startoffset + (ulong)i * PAGE_SIZE));
                    if (rtm.IsNull)
                    {
                        if (i < treqpage)
                        {
                            for (int j = 0; j < i; j++)
                            {
                                vm.PageWakeup(marray[j]);
                                vm.VmPageFree(marray[j]);
                            }
                            reqpage = 0;
                            marray[0] = m;
                            return 1;
                        }
                        reqpage = treqpage;
                        return i;
                    }
                    marray[i] = rtm;
                }
                else
                {
                    marray[i] = m;
                }
            }
            reqpage = treqpage;
            return size;
        }
        reqpage = 0;
        marray[0] = m;
        return 1;
    }

    /// <summary>
    /// vm_fault_wire: wire down a range of virtual addresses in a map. We simulate a fault to get the page and
    /// enter it in the physical map: one vm_fault(READ|WRITE, change_wiring) per page.
    /// </summary>
    internal static Errno VmFaultWire(FreeBsdMachine vm, VmProc map, ulong start, ulong end)
    {
        // pmap_pageable(pmap, start, end, FALSE): the model's page tables are never paged.
        for (ulong va = start; va < end; va += PAGE_SIZE)
        {
            // while (curproc != pageproc && cnt.v_free_count <= cnt.v_pageout_free_min) VM_WAIT;
            // the model lets the page daemon run once (it runs synchronously).
            if (vm.Mem.FreeCount <= FreeBsdMachine.PageoutFreeMin && vm.Reclaimable())
                vm.PageDaemon(vm.FreeTarget);
            vm.ReserveForFault();
            var rv = VmFault(vm, map, va, Prot.ReadWrite, changeWiring: true, out _, out _, out _, out _);
            if (rv != Errno.OK)
            {
                if (va != start)
                    VmFaultUnwire(vm, map, start, va);
                return rv;
            }
        }
        return Errno.OK;
    }

    /// <summary>
    /// vm_fault_unwire: unwire a range of virtual addresses in a map. Since the pages are wired down, we must be
    /// able to get their mappings from the physical map system. (Where a copy-on-write fault of another process
    /// or an mprotect(none) took the mapping away, the kernel panics "unwire: page not in pmap"; the model unwires
    /// the page its entry's chain holds there instead: docs/model-freebsd.md.)
    /// </summary>
    internal static void VmFaultUnwire(FreeBsdMachine vm, VmProc map, ulong start, ulong end)
    {
        for (ulong va = start; va < end; va += PAGE_SIZE)
        {
            if (vm.Pmaps.Extract(map.Pmap, va, out var pg, out _, out _))
            {
                vm.Pmaps.Unwire(map.Pmap, va); // pmap_change_wiring(pmap, va, FALSE)
            }
            else
            {
                if (!vm.LookupEntry(map, va, out var e))
                    continue;
                pg = vm.ChainPage(in vm.Entries[e.Index], va, out _, out _);
                if (!pg.IsPage)
                    continue;
            }
            vm.VmPageUnwire(pg);
        }
        // pmap_pageable(pmap, start, end, TRUE)
    }

    /// <summary>
    /// vm_fault_copy_entry: copy all of the pages from a wired-down map entry to another. The source and
    /// destination maps must be locked for write. The destination gets a new top-level object (doesn't actually
    /// shadow anything - we copy the pages directly), entered with its max_protection, not wired.
    /// </summary>
    /// <returns>OK, or ENOMEM when memory or page tables ran out (the kernel would wait for them forever).</returns>
    internal static Errno VmFaultCopyEntry(FreeBsdMachine vm, VmProc dstMap, ref FbsdMapEntry dstEntry, in FbsdMapEntry srcEntry)
    {
        // Create the top-level object for the destination entry.
        vm.Objects.Reserve(1);
        var dstObject = vm.VmObjectAllocate(ObjType.Default, dstEntry.End - dstEntry.Start);
        dstEntry.Object = dstObject;
        dstEntry.Offset = 0;
        var prot = dstEntry.MaxProtection;
        dstEntry.EnteredWithMaxProt = prot != dstEntry.Protection;

        // Loop through all of the pages in the entry's range, copying each one from the source object (it should
        // be there) to the destination object.
        ulong dstOffset = 0;
        int waits = 0;
        for (ulong vaddr = dstEntry.Start; vaddr < dstEntry.End; vaddr += PAGE_SIZE, dstOffset += PAGE_SIZE)
        {
            // Allocate a page in the destination object
            PageId dstM;
            while ((dstM = vm.VmPageAlloc(dstObject, Pindex(dstOffset))).IsNull)
            {
                if (!vm.VmWait(ref waits) || waits > FreeBsdMachine.MaxWaitsPerFault)
                    return Errno.ENOMEM;
            }

            // Find the page in the source object, and copy it in. (Because the source is wired down, the page will
            // be in memory.) The seed looks only in the source's first object and panics "page missing"
            // otherwise; the model follows the chain (docs/model-freebsd.md).
            var srcM = vm.ChainPage(in srcEntry, srcEntry.Start + dstOffset, out _, out _);
            if (!srcM.IsPage)
                K.Fail("vm_fault_copy_wired: page missing");
            vm.VmPageCopy(srcM, dstM);

            // Enter it in the pmap...
            vm.PFlags[dstM.Index] |= FbsdPageFlags.Writeable | FbsdPageFlags.Mapped;
            vm.Pmaps.Pv.Reserve(1);
            if (vm.Pmaps.Enter(dstMap.Pmap, vaddr, dstM, prot, Prot.None, wired: false) != Errno.OK)
            {
                vm.PageWakeup(dstM);
                vm.Mem.Activate(dstM);
                return Errno.ENOMEM;
            }

            // Mark it no longer busy, and put it on the active list.
            vm.Mem.Activate(dstM);
            vm.PageWakeup(dstM);
        }
        return Errno.OK;
    }
}
