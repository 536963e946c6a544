using static FaultLab.Core.Param;

namespace FaultLab.Core;

internal static partial class UvmFault
{
    /// <summary>uvmfault_anonflush: try and deactivate pages in specified anons. => does not have to deactivate page if it is busy.</summary>
    private static void AnonFlush(Machine m, Span<AnonId> anons, int n)
    {
        for (int lcv = 0; lcv < n; lcv++)
        {
            if (anons[lcv].IsNull)
                continue;
            var pg = m.Anons[anons[lcv].Index].Page;
            if (pg.IsPage && (m.Mem[pg].Flags & PageFlags.Busy) == 0 && m.Mem[pg].WireCount == 0)
                m.Mem.Deactivate(pg);
        }
    }

    /// <summary>
    /// uvmfault_amapcopy: clear "needs_copy" in a map.
    /// => called with VM data structures unlocked. => we get a write lock on the maps and clear needs_copy
    /// for a VA. => if we are out of RAM we sleep (waiting for more).
    /// </summary>
    private static void AmapCopy(Machine m, ref FaultInfo ufi, ref FaultCtx flt)
    {
        for (;;)
        {
            // no mapping? give up.
            if (!Lookup(m, ref ufi, write: true))
                return;

            // copy if needed.
            if (m.Entries[ufi.Entry.Index].IsNeedsCopy)
                m.AmapCopy(ufi.OrigMap, ufi.Entry); // AMAP_COPY_NOWAIT: fails rather than sleeps

            // didn't work? must be out of RAM. unlock and sleep.
            if (m.Entries[ufi.Entry.Index].IsNeedsCopy)
            {
                UnlockMaps(m, ref ufi, write: true);
                m.UvmWait(ref flt.Waits);
                if (flt.Waits > Machine.MaxWaitsPerFault)
                    return;
                continue;
            }

            // got it! unlock and return.
            UnlockMaps(m, ref ufi, write: true);
            return;
        }
    }

    /// <summary>
    /// uvmfault_anonget: get data in an anon into a non-busy, non-released page in that anon.
    /// => Map, amap and thus anon should be locked by caller. => If we fail, we unlock everything and error is
    /// returned. => If we are successful, return with everything still locked.
    /// </summary>
    internal static Errno AnonGet(Machine m, ref FaultInfo ufi, ref FaultCtx flt, AmapId amap, AnonId anon)
    {
        K.Assert(UvmLocks.HoldsAmap(m, amap));

        // Increment the counters.
        m.Cnt.fltanget++;
        if (m.Anons[anon.Index].Page.IsPage)
            m.Cnt.minflt++;
        else
            m.Cnt.majflt++;
        var error = Errno.OK;

        // Loop until we get the anon data, or fail.
        for (;;)
        {
            bool weOwn = false; // becomes true if we set PG_BUSY on a page
            var pg = m.Anons[anon.Index].Page;

            // The model lends pages to the kernel only (never an object's page to an anon), so a loaned page of
            // an anon is always owned by that anon: uvm_anon_lockloanpg has nothing to do.

            // Is page resident? Make sure it is not busy/released.
            if (pg.IsPage)
            {
                if ((m.Mem[pg].Flags & PageFlags.Busy) == 0)
                    return Errno.OK;
                // Single-threaded: no other thread can hold the page busy while we fault.
                m.Mem[pg].Flags |= PageFlags.Wanted;
                m.Cnt.fltpgwait++;
                K.Fail("anonget: anon page busy in a single-threaded model");
            }
            else
            {
                // No page, therefore allocate one.
                pg = m.Mem.Alloc(anon, ObjId.Null, 0, zero: false);
                if (pg.IsNull)
                {
                    // Out of memory. Wait a little.
                    UnlockAll(m, ref ufi, amap, ObjId.Null);
                    m.Cnt.fltnoram++;
                    if (!m.Reclaimable())
                        return Errno.ENOMEM;
                    m.UvmWait(ref flt.Waits);
                    if (flt.Waits > Machine.MaxWaitsPerFault)
                        return Errno.ENOMEM;
                }
                else
                {
                    // PG_BUSY bit is set.
                    weOwn = true;
                    m.Anons[anon.Index].Page = pg;
                    UnlockAll(m, ref ufi, amap, ObjId.Null);

                    // Pass a PG_BUSY+PG_FAKE+PG_CLEAN page into the swap read with all data structures
                    // unlocked.
                    m.Cnt.pageins++;
                    error = m.SwapGet(pg, m.Anons[anon.Index].SwSlot);
                }
            }

            // Re-lock the map and anon.
            bool locked = Relock(m, ref ufi);
            if (locked)
                UvmLocks.AmapLock(m, amap);

            // If we own the page (i.e. we set PG_BUSY), then we need to clean up after the I/O.
            if (weOwn)
            {
                if (error != Errno.OK)
                {
                    // Remove the swap slot from the anon and mark the anon as having no real slot. Do not free
                    // the swap slot, thus preventing it from being used again.
                    m.Anons[anon.Index].SwSlot = SwapSpace.SWSLOT_BAD;
                    m.Anons[anon.Index].Page = PageId.Null;
                    m.Mem[pg].Anon = AnonId.Null;
                    m.Mem.Free(pg);
                    if (locked)
                        UnlockAll(m, ref ufi, amap, ObjId.Null);
                    return error;
                }

                // We have successfully read the page, activate it.
                m.Mem.Activate(pg);
                m.Mem[pg].Flags &= ~(PageFlags.Wanted | PageFlags.Busy | PageFlags.Fake);
            }

            // We were not able to re-lock the map - restart the fault.
            if (!locked)
                return Errno.ERESTART;

            // Verify that no one has touched the amap and moved the anon on us.
            ref var entry = ref m.Entries[ufi.Entry.Index];
            if (m.AmapLookup(in entry, ufi.OrigRvaddr - entry.Start) != anon)
            {
                UnlockAll(m, ref ufi, amap, ObjId.Null);
                return Errno.ERESTART;
            }

            // Retry..
            m.Cnt.fltanretry++;
        }
    }

    /// <summary>
    /// uvmfault_promote: promote data to a new anon. used for 1B and 2B.
    /// 1. allocate an anon and a page. 2. fill its contents. 3. put it into amap.
    /// => if we fail (result != 0) we unlock everything. => on success, return a new locked anon via 'nanon'.
    /// </summary>
    private static Errno Promote(Machine m, ref FaultInfo ufi, ref FaultCtx flt,
        AnonId oanon, PageId uobjpage, out AnonId nanon)
    {
        FaultEvents.Enter(FaultStage.Promote);
        ref var entry = ref m.Entries[ufi.Entry.Index];
        PageId opg;
        nanon = AnonId.Null;

        if (!oanon.IsNull)
        {
            // anon COW
            opg = m.Anons[oanon.Index].Page;
            K.Assert(opg.IsPage);
        }
        else if (uobjpage != PageId.DontCare)
        {
            // object-backed COW
            opg = uobjpage;
        }
        else
        {
            // ZFOD
            opg = PageId.Null;
        }
        bool hasUobj = opg.IsPage && !m.Mem[opg].Object.IsNull;

        K.Assert(!entry.Amap.IsNull);
        K.Assert(!uobjpage.IsNull);
        K.Assert(uobjpage == PageId.DontCare || (m.Mem[uobjpage].Flags & PageFlags.Busy) != 0);

        AnonId anon;
        if (!flt.AnonSpare.IsNull)
        {
            anon = flt.AnonSpare;
            flt.AnonSpare = AnonId.Null;
        }
        else
        {
            anon = m.AnonAlloc();
        }
        // if opg == NULL, we want a zero'd, dirty page, so have uvm_pagealloc() do that for us.
        var pg = anon.IsNull ? PageId.Null : m.Mem.Alloc(anon, ObjId.Null, 0, zero: opg.IsNull);

        // out of memory resources?
        if (pg.IsNull)
        {
            // save anon for the next try.
            if (!anon.IsNull)
                flt.AnonSpare = anon;

            // unlock and fail ...
            if (uobjpage.IsPage)
                m.Mem[uobjpage].Flags &= ~(PageFlags.Busy | PageFlags.Wanted); // uvm_page_unbusy
            UnlockAll(m, ref ufi, m.Entries[ufi.Entry.Index].Amap, hasUobj ? m.Mem[opg].Object : ObjId.Null);
            if (!m.Reclaimable())
            {
                m.Cnt.fltnoanon++;
                return Errno.ENOMEM;
            }
            m.Cnt.fltnoram++;
            m.UvmWait(ref flt.Waits);
            return Errno.ERESTART;
        }
        m.Anons[anon.Index].Page = pg;

        // copy page [pg now dirty]
        if (opg.IsPage)
            m.Mem.Copy(opg, pg);

        m.AmapAdd(in entry, ufi.OrigRvaddr - entry.Start, anon, replace: !oanon.IsNull);

        nanon = anon;
        return Errno.OK;
    }

    // ---- uvm_faultinfo locking: uvmfault_lookup, uvmfault_unlockmaps, uvmfault_unlockall, uvmfault_relock ----

    /// <summary>uvmfault_lookup: lookup a virtual address in a map and lock the maps; false when unmapped.</summary>
    internal static bool Lookup(Machine m, ref FaultInfo ufi, bool write)
    {
        // lock map
        if (write)
            UvmLocks.VmMapLock(m, ufi.OrigMap);
        else
            UvmLocks.VmMapLockRead(m, ufi.OrigMap);
        // lookup
        if (!m.LookupEntry(ufi.OrigMap, ufi.OrigRvaddr, out var entry))
        {
            UnlockMaps(m, ref ufi, write);
            return false;
        }
        ufi.Entry = entry;
        ufi.MapV = ufi.OrigMap.Timestamp;
        return true;
    }

    /// <summary>uvmfault_unlockmaps.</summary>
    internal static void UnlockMaps(Machine m, ref FaultInfo ufi, bool write)
    {
        if (write)
            UvmLocks.VmMapUnlock(m, ufi.OrigMap);
        else
            UvmLocks.VmMapUnlockRead(m, ufi.OrigMap);
    }

    /// <summary>uvmfault_unlockall: unlock everything passed in (NULL: not locked), and the maps.</summary>
    internal static void UnlockAll(Machine m, ref FaultInfo ufi, AmapId amap, ObjId uobj)
    {
        if (!uobj.IsNull)
            UvmLocks.UobjUnlock(m, uobj);
        if (!amap.IsNull)
            UvmLocks.AmapUnlock(m, amap);
        UnlockMaps(m, ref ufi, write: false);
    }

    /// <summary>uvmfault_relock: relock the map; fails if the map changed since the lookup (version mismatch).</summary>
    internal static bool Relock(Machine m, ref FaultInfo ufi)
    {
        if (ufi.MapV != ufi.OrigMap.Timestamp)
            return false;
        UvmLocks.VmMapLockRead(m, ufi.OrigMap);
        return true;
    }

    // ---- uvm_fault_wire / uvm_fault_unwire ----

    /// <summary>
    /// uvm_fault_wire: wire down a range of virtual addresses in a map, faulting it in a page at a time; if a
    /// fault fails, what was wired is unwired.
    /// </summary>
    internal static Errno FaultWire(Machine m, VmProc map, ulong start, ulong end, Prot accessType, bool maxprot)
    {
        if (start > end)
            return Errno.EFAULT;
        for (ulong va = start; va < end; va += PAGE_SIZE)
        {
            m.ReserveForFaultAt(map, va);
            var error = FaultInternal(m, map, va, accessType,
                (maxprot ? FaultFlag.MaxProt : FaultFlag.None) | FaultFlag.Wire, out _, out _);
            if (error != Errno.OK)
            {
                if (va != start)
                {
                    // uvm_fault_unwire: the map for reading, then uvm_fault_unwire_locked
                    UvmLocks.VmMapLockRead(m, map);
                    FaultUnwire(m, map, start, va);
                    UvmLocks.VmMapUnlockRead(m, map);
                }
                return error;
            }
        }
        return Errno.OK;
    }

    /// <summary>uvm_fault_unwire_locked: unwire range of virtual space (the pages, and the mappings of unwired entries).</summary>
    internal static void FaultUnwire(Machine m, VmProc map, ulong start, ulong end)
    {
        if (!m.LookupEntry(map, start, out var entry))
            K.Fail("uvm_fault_unwire_locked: address not in map");
        for (ulong va = start; va < end; va += PAGE_SIZE)
        {
            // find the map entry for the current address.
            while (va >= m.Entries[entry.Index].End)
                entry = m.Entries[entry.Index].Next;

            // if the entry is no longer wired, tell the pmap.
            if (!m.Pmaps.Extract(map.Pmap, va, out var pg, out _, out _))
                continue;
            if (!m.Entries[entry.Index].IsWired)
                m.Pmaps.Unwire(map.Pmap, va);
            m.Mem.Unwire(pg);
        }
    }
}
