using static FaultLab.Core.Param;

namespace FaultLab.Core;

internal static partial class UvmFault
{
    /// <summary>
    /// uvm_fault_lower: handle lower fault.
    /// 1. check uobj: 1.1. if null, ZFOD. 1.2. if not null, look up unmapped neighbor pages.
    /// 2. for center page, check if promote: 2.1. ZFOD always needs promotion. 2.2. other uobjs, when entry
    /// is marked COW (usually MAP_PRIVATE vnode).
    /// 3. if uobj is not ZFOD and page is not found, do i/o. 4. dispatch either direct / promote fault.
    /// </summary>
    private static Errno Lower(Machine m, ref FaultInfo ufi, ref FaultCtx flt, Span<PageId> pages)
    {
        ref var entry = ref m.Entries[ufi.Entry.Index];
        var uobj = entry.Object;
        PageId uobjpage;
        Errno error;

        // now, if the desired page is not shadowed by the amap and we have a backing object, then we ask
        // (with pgo_get) the object for resident pages that we care about and attempt to map them in. we do
        // not let pgo_get block (PGO_LOCKED).
        if (uobj.IsNull)
        {
            // zero fill; don't care neighbor pages
            uobjpage = PageId.Null;
        }
        else
        {
            LowerLookup(m, ref ufi, in flt, pages);
            uobjpage = pages[flt.CenterIdx];
        }

        // locked: maps(read), amap(if there), uobj(if !null), uobjpage(if !null)
        K.Assert(uobj.IsNull || UvmLocks.HoldsUobj(m, uobj));
        K.Assert(!uobjpage.IsPage || (m.Mem[uobjpage].Flags & PageFlags.Busy) != 0);

        // note that uobjpage can not be PGO_DONTCARE at this point. we now set uobjpage to PGO_DONTCARE if we
        // are doing a zero fill. if we have a backing object, check and see if we are going to promote the
        // data up to an anon during the fault.
        if (uobj.IsNull)
        {
            uobjpage = PageId.DontCare;
            flt.Promote = true; // always need anon here
        }
        else
        {
            K.Assert(uobjpage != PageId.DontCare);
            flt.Promote = flt.CowNow && Spec.CopyOnWrite(entry.IsCopyOnWrite);
        }

        // if uobjpage is not null then we do not need to do I/O to get the uobjpage. if uobjpage is null,
        // then we need to unlock and ask the pager to get the data for us. once we have the data, we need to
        // reverify the state the world. we are currently not holding any resources.
        if (!uobjpage.IsNull)
        {
            // update rusage counters
            m.Cnt.minflt++;
        }
        else
        {
            error = LowerIo(m, ref ufi, ref flt, ref uobj, ref uobjpage);
            if (error != Errno.OK)
                return error;
        }

        // locked: maps(read), amap(if !null), uobj(if !null), uobjpage(if uobj)
        K.Assert(!uobjpage.IsNull);
        K.Assert(uobj.IsNull || uobj == m.Mem[uobjpage].Object);

        if (!flt.Promote)
            error = LowerDirect(m, ref ufi, ref flt, uobj, uobjpage);
        else
            error = LowerPromote(m, ref ufi, ref flt, uobj, uobjpage);
        return error;
    }

    /// <summary>
    /// uvm_fault_lower_lookup: look up on-memory uobj pages.
    /// 1. get on-memory pages. 2. if failed, give up (get only center page later).
    /// 3. if succeeded, enter h/w mapping of neighbor pages.
    /// </summary>
    private static void LowerLookup(Machine m, ref FaultInfo ufi, in FaultCtx flt, Span<PageId> pages)
    {
        FaultEvents.Enter(FaultStage.LowerLookup);
        ref var entry = ref m.Entries[ufi.Entry.Index];
        var uobj = m.Objects[entry.Object.Index];

        UvmLocks.UobjLock(m, entry.Object);
        // Locked: maps(read), amap(if there), uobj

        m.Cnt.fltlget++;
        int gotpages = m.PagerGetLocked(uobj, entry.Offset + flt.StartVa - entry.Start,
            pages, flt.NPages, flt.CenterIdx, flt.AccessType & Mask(in entry));

        // check for pages to map, if we got any
        if (gotpages == 0)
        {
            pages[flt.CenterIdx] = PageId.Null;
            return;
        }

        ulong currva = flt.StartVa;
        for (int lcv = 0; lcv < flt.NPages; lcv++, currva += PAGE_SIZE)
        {
            var curpg = pages[lcv];
            if (!curpg.IsPage)
                continue;
            K.Assert(m.Mem[curpg].Object == uobj.Id);

            // if center page is resident and not PG_BUSY|PG_RELEASED then pgo_get made it PG_BUSY for us and
            // gave us a handle to it.
            if (lcv == flt.CenterIdx)
                continue;
            ref var p = ref m.Mem[curpg];
            bool readOnly = (p.Flags & PageFlags.RdOnly) != 0 || p.LoanCount > 0 || uobj.NeedsWriteFault;
            LowerNeighbor(m, ref ufi, in flt, currva, curpg, readOnly);
        }
    }

    /// <summary>uvm_fault_lower_neighbor: enter h/w mapping of lower neighbor page.</summary>
    private static void LowerNeighbor(Machine m, ref FaultInfo ufi, in FaultCtx flt,
        ulong currva, PageId pg, bool readOnly)
    {
        ref var entry = ref m.Entries[ufi.Entry.Index];
        // locked: maps(read), amap(if there), uobj

        // calling pgo_get with PGO_LOCKED returns us pages which are neither busy nor released, so we don't
        // need to check for this. we can just directly enter the pages.
        m.Mem.Enqueue(pg);
        m.Cnt.fltnomap++;

        // Since this page isn't the page that's actually faulting, ignore pmap_enter() failures; it's not
        // critical that we enter these right now.
        m.Mem[pg].Flags &= ~PageFlags.Busy;

        var mapprot = readOnly ? flt.EnterProt & ~Prot.Write : flt.EnterProt & Mask(in entry);
        bool wired = Spec.Wired(flt.WireMapping);
        m.Pmaps.Enter(ufi.OrigMap.Pmap, currva, pg, mapprot, wired ? mapprot : Prot.None, wired);
    }

    /// <summary>
    /// uvm_fault_lower_io: get lower page from backing store.
    /// 1. unlock everything, because i/o will block. 2. call pgo_get. 3. if failed, recover.
    /// 4. if succeeded, relock everything and verify things.
    /// </summary>
    private static Errno LowerIo(Machine m, ref FaultInfo ufi, ref FaultCtx flt,
        ref ObjId ruobj, ref PageId ruobjpage)
    {
        FaultEvents.Enter(FaultStage.LowerIo);
        ref var entry = ref m.Entries[ufi.Entry.Index];
        var amap = entry.Amap;
        bool hasAmap = !amap.IsNull;
        var uobj = m.Objects[ruobj.Index];

        // update rusage counters
        m.Cnt.majflt++;

        // grab everything we need from the entry before we unlock
        ulong uoff = (ufi.OrigRvaddr - entry.Start) + entry.Offset;
        var accessType = flt.AccessType & Mask(in entry);

        // Locked: maps(read), amap(if there), uobj
        UnlockAll(m, ref ufi, amap, ObjId.Null);
        // Locked: uobj

        m.Cnt.fltget++;
        var error = m.PagerGetSync(uobj, uoff, accessType, ref flt.Waits, out var pg);
        UvmLocks.UobjUnlock(m, ruobj); // pgo_get with PGO_SYNCIO returns with the object unlocked
        // locked: pg(if no error)

        // recover from I/O
        if (error != Errno.OK)
        {
            if (error == Errno.ERESTART)
                error = Errno.EIO;
            return error;
        }

        // re-verify the state of the world by first trying to relock the maps. always relock the object.
        bool locked = Relock(m, ref ufi);
        if (locked && hasAmap)
            UvmLocks.AmapLock(m, amap);

        // might be changed
        var pgObj = m.Mem[pg].Object;
        UvmLocks.UobjLock(m, pgObj);
        K.Assert((m.Mem[pg].Flags & PageFlags.Busy) != 0);

        m.Mem.Activate(pg);

        // locked(locked): maps(read), amap(if !null), uobj, pg
        // locked(!locked): uobj, pg

        // verify that the page has not be released and re-verify that amap slot is still free. if there is a
        // problem, we unlock and clean up.
        if ((m.Mem[pg].Flags & PageFlags.Released) != 0 ||
            (locked && hasAmap && !m.AmapLookup(in m.Entries[ufi.Entry.Index], ufi.OrigRvaddr - m.Entries[ufi.Entry.Index].Start).IsNull))
        {
            if (locked)
                UnlockAll(m, ref ufi, amap, ObjId.Null);
            locked = false;
        }

        // didn't get the lock? release the page and retry.
        if (!locked)
        {
            if ((m.Mem[pg].Flags & PageFlags.Released) == 0)
            {
                m.Mem[pg].Flags &= ~(PageFlags.Busy | PageFlags.Wanted);
            }
            else
            {
                m.Cnt.fltpgrele++;
                m.Mem.Free(pg);
            }
            UvmLocks.UobjUnlock(m, pgObj);
            return Errno.ERESTART;
        }

        // we have the data in pg which is busy and not released. we are holding object lock (so the page
        // can't be released on us).
        // locked: maps(read), amap(if !null), uobj, pg
        ruobj = pgObj;
        ruobjpage = pg;
        return Errno.OK;
    }

    /// <summary>uvm_fault_lower_direct: fault lower center page. 1. adjust flt->enter_prot. 2. if page is loaned, resolve.</summary>
    private static Errno LowerDirect(Machine m, ref FaultInfo ufi, ref FaultCtx flt, ObjId uobj, PageId uobjpage)
    {
        ref var entry = ref m.Entries[ufi.Entry.Index];

        // we are not promoting. if the mapping is COW ensure that we don't give more access than we should
        // (e.g. when doing a read fault on a COPYONWRITE mapping we want to map the COW page in R/O even
        // though the entry protection could be R/W).
        m.Cnt.flt_obj++;
        flt.Case = FaultCase.Lower2A;
        if (Spec.CopyOnWrite(entry.IsCopyOnWrite) || m.Objects[m.Mem[uobjpage].Object.Index].NeedsWriteFault)
            flt.EnterProt &= ~Prot.Write;
        var pg = uobjpage; // map in the actual object

        K.Assert(uobjpage != PageId.DontCare);

        // we are faulting directly on the page. be careful about writing to loaned pages...
        if (m.Mem[uobjpage].LoanCount != 0)
        {
            // 1.208 ignores the result here; a failed loan break must not go on to map the page.
            var error = LowerDirectLoan(m, ref ufi, ref flt, uobj, ref pg, ref uobjpage);
            if (error != Errno.OK)
                return error;
        }
        K.Assert(pg == uobjpage);
        K.Assert(uobj.IsNull || (m.Mem[uobjpage].Flags & PageFlags.Busy) != 0);
        return LowerEnter(m, ref ufi, ref flt, uobj, AnonId.Null, pg);
    }

    /// <summary>uvm_fault_lower_direct_loan: resolve loaned page. 1. if not cow'ing, adjust flt->enter_prot. 2. if cow'ing, break loan.</summary>
    private static Errno LowerDirectLoan(Machine m, ref FaultInfo ufi, ref FaultCtx flt, ObjId uobj,
        ref PageId rpg, ref PageId ruobjpage)
    {
        var uobjpage = ruobjpage;
        if (!flt.CowNow)
        {
            // read fault: cap the protection at readonly
            flt.EnterProt &= ~Prot.Write;
            return Errno.OK;
        }

        // write fault: must break the loan here
        var pg = m.LoanBreak(uobjpage);
        if (pg.IsNull)
        {
            // drop ownership of page, it can't be released
            m.Mem[uobjpage].Flags &= ~(PageFlags.Busy | PageFlags.Wanted);
            UnlockAll(m, ref ufi, m.Entries[ufi.Entry.Index].Amap, uobj);
            m.Cnt.fltnoram++;
            m.UvmWait(ref flt.Waits);
            return Errno.ERESTART;
        }
        rpg = pg;
        ruobjpage = pg;
        return Errno.OK;
    }

    /// <summary>
    /// uvm_fault_lower_promote: promote lower page.
    /// 1. call uvmfault_promote. 2. fill in data. 3. if not ZFOD, dispose old page.
    /// </summary>
    private static Errno LowerPromote(Machine m, ref FaultInfo ufi, ref FaultCtx flt, ObjId uobj, PageId uobjpage)
    {
        var amap = m.Entries[ufi.Entry.Index].Amap;
        K.Assert(!amap.IsNull);
        flt.Case = FaultCase.Lower2B;

        // If we are going to promote the data to an anon we allocate a blank anon here and plug it into our
        // amap.
        var error = Promote(m, ref ufi, ref flt, AnonId.Null, uobjpage, out var anon);
        switch (error)
        {
            case Errno.OK:
                break;
            case Errno.ERESTART:
                return Errno.ERESTART;
            default:
                return error;
        }

        var pg = m.Anons[anon.Index].Page;

        // Fill in the data.
        if (uobjpage != PageId.DontCare)
        {
            m.Cnt.flt_prcopy++;

            // promote to shared amap? make sure all sharing procs see it
            if ((m.Amaps[amap.Index].Flags & AmapFlags.Shared) != 0)
            {
                m.Pmaps.PageProtect(uobjpage, Prot.None);
                // XXX: PAGE MIGHT BE WIRED!
            }

            // dispose of uobjpage. it can't be PG_RELEASED since we still hold the object lock.
            m.Mem[uobjpage].Flags &= ~(PageFlags.Busy | PageFlags.Wanted);
        }
        else
        {
            m.Cnt.flt_przero++;
            // Page is zero'd and marked dirty by uvmfault_promote().
        }

        return LowerEnter(m, ref ufi, ref flt, uobj, anon, pg);
    }

    /// <summary>uvm_fault_lower_enter: enter h/w mapping of lower page or anon page promoted from the lower page.</summary>
    private static Errno LowerEnter(Machine m, ref FaultInfo ufi, ref FaultCtx flt,
        ObjId uobj, AnonId anon, PageId pg)
    {
        FaultEvents.Enter(FaultStage.Enter);
        var amap = m.Entries[ufi.Entry.Index].Amap;

        // Locked: maps(read), amap(if !null), uobj(if !null), anon(if !null), pg(if anon)
        // Note: pg is either the uobjpage or the new page in the new anon.
        K.Assert((m.Mem[pg].Flags & PageFlags.Busy) != 0);

        // all resources are present. we can now map it in and free our resources.
        K.Assert((flt.AccessType & Prot.Write) == 0 || (m.Mem[pg].Flags & PageFlags.RdOnly) == 0);
        var prot = (m.Mem[pg].Flags & PageFlags.RdOnly) != 0 ? flt.EnterProt & ~Prot.Write : flt.EnterProt;
        if (m.Pmaps.Enter(ufi.OrigMap.Pmap, ufi.OrigRvaddr, pg, prot, flt.AccessType, Spec.Wired(flt.WireMapping)) != Errno.OK)
        {
            // No need to undo what we did; we can simply think of this as the pmap throwing away the mapping
            // information. We do, however, have to go through the ReFault path, as the map may change while
            // we're asleep.

            // ensure that the page is queued in the case that we just promoted the page.
            m.Mem.Enqueue(pg);
            m.Mem[pg].Flags &= ~(PageFlags.Busy | PageFlags.Fake | PageFlags.Wanted);

            UnlockAll(m, ref ufi, amap, uobj);
            if (!m.Reclaimable())
                return Errno.ENOMEM;
            m.UvmWait(ref flt.Waits);
            return Errno.ERESTART;
        }

        LowerDone(m, ref ufi, in flt, uobj, pg);

        // note that pg can't be PG_RELEASED since we did not drop the object lock since the last time we checked.
        K.Assert((m.Mem[pg].Flags & PageFlags.Released) == 0);
        m.Mem[pg].Flags &= ~(PageFlags.Busy | PageFlags.Fake | PageFlags.Wanted);

        UnlockAll(m, ref ufi, amap, uobj);
        return Errno.OK;
    }

    /// <summary>uvm_fault_lower_done: queue lower center page.</summary>
    private static void LowerDone(Machine m, ref FaultInfo ufi, in FaultCtx flt, ObjId uobj, PageId pg)
    {
        // The model's objects are vnodes, never aobjs (PQ_AOBJ): there is no swap to drop here.
        UvmLocks.UvmLockPageq(m);
        if (Spec.Wired(flt.WirePaging))
            m.Mem.Wire(pg);
        else
            m.Mem.Activate(pg);
        UvmLocks.UvmUnlockPageq(m);
    }
}
