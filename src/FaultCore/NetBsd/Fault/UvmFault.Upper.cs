using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>
/// Case 1 of the generic fault path: uvm_fault_upper_lookup and uvm_fault_upper with its stages (loan, promote,
/// direct, enter, done), as 1.208 orders them.
/// </summary>
internal static partial class UvmFault
{
    /// <summary>
    /// uvm_fault_upper_lookup: look up existing h/w mapping and amap.
    /// 1. check if h/w mapping exists. if yes, we don't care. 2. check if anon exists. if not, page is lower.
    /// 3. if anon exists, enter h/w mapping for neighbors.
    /// => called with amap locked (if exists).
    /// </summary>
    private static Errno UpperLookup(Machine m, ref FaultInfo ufi, in FaultCtx flt,
        Span<AnonId> anons, Span<PageId> pages)
    {
        FaultEvents.Enter(FaultStage.UpperLookup);
        ref var entry = ref m.Entries[ufi.Entry.Index];
        bool hasAmap = !entry.Amap.IsNull;
        int pmap = ufi.OrigMap.Pmap;

        // locked: maps(read), amap(if there)
        K.Assert(!hasAmap || UvmLocks.HoldsAmap(m, entry.Amap));

        // map in the backpages and frontpages we found in the amap in hopes of preventing future faults.
        // we also init the pages[] array as we go.
        ulong currva = flt.StartVa;
        for (int lcv = 0; lcv < flt.NPages; lcv++, currva += PAGE_SIZE)
        {
            // don't play with VAs that are already mapped (except for center)
            if (lcv != flt.CenterIdx && m.Pmaps.Extract(pmap, currva))
            {
                pages[lcv] = PageId.DontCare;
                continue;
            }

            // unmapped or center page. check if any anon at this level.
            if (!hasAmap || anons[lcv].IsNull)
            {
                pages[lcv] = PageId.Null;
                continue;
            }

            // check for present page and map if possible. re-activate it.
            pages[lcv] = PageId.DontCare;
            if (lcv == flt.CenterIdx) // save center for later!
                continue;

            ref var anon = ref m.Anons[anons[lcv].Index];
            var pg = anon.Page;

            // Ignore loaned and busy pages.
            if (pg.IsPage && m.Mem[pg].LoanCount == 0 && (m.Mem[pg].Flags & PageFlags.Busy) == 0)
                UpperNeighbor(m, ref ufi, in flt, currva, pg, anon.Ref > 1);
        }
        // locked: maps(read), amap(if there)
        return Errno.OK;
    }

    /// <summary>uvm_fault_upper_neighbor: enter single upper neighbor page. => called with amap and anon locked.</summary>
    private static void UpperNeighbor(Machine m, ref FaultInfo ufi, in FaultCtx flt,
        ulong currva, PageId pg, bool readOnly)
    {
        // locked: amap, anon
        m.Mem.Enqueue(pg);
        m.Cnt.fltnamap++;

        // Since this page isn't the page that's actually faulting, ignore pmap_enter() failures; it's not
        // critical that we enter these right now.
        m.Pmaps.Enter(ufi.OrigMap.Pmap, currva, pg,
            readOnly ? flt.EnterProt & ~Prot.Write : flt.EnterProt,
            Prot.None, Spec.Wired(flt.WireMapping));
    }

    /// <summary>
    /// uvm_fault_upper: handle upper fault.
    /// 1. acquire anon lock. 2. get anon. let uvmfault_anonget do the dirty work. 3. handle loan.
    /// 4. dispatch direct or promote handlers.
    /// </summary>
    private static Errno Upper(Machine m, ref FaultInfo ufi, ref FaultCtx flt, Span<AnonId> anons)
    {
        FaultEvents.Enter(FaultStage.Upper);
        ref var entry = ref m.Entries[ufi.Entry.Index];
        var amap = entry.Amap;
        var anon = anons[flt.CenterIdx];

        // locked: maps(read), amap, anon
        K.Assert(UvmLocks.HoldsAmap(m, amap));

        // handle case 1: fault on an anon in our amap
        // no matter if we have case 1A or case 1B we are going to need to have the anon's memory resident.
        // ensure that now. if it fails (!OK) it will unlock everything for us.
        var error = AnonGet(m, ref ufi, ref flt, amap, anon);
        switch (error)
        {
            case Errno.OK:
                break;
            case Errno.ERESTART:
                return Errno.ERESTART;
            default:
                return error;
        }

        // uobj is non null if the page is on loan from an object (i.e. uobj)
        var uobj = m.Mem[m.Anons[anon.Index].Page].Object;

        // locked: maps(read), amap, anon, uobj(if one)

        // special handling for loaned pages
        if (m.Mem[m.Anons[anon.Index].Page].LoanCount != 0)
        {
            error = UpperLoan(m, ref ufi, ref flt, anon, ref uobj);
            if (error != Errno.OK)
                return error;
        }

        // if we are case 1B then we will need to allocate a new blank anon to transfer the data into. note
        // that we have a lock on anon, so no one can busy or release the page until we are done. also note
        // that the ref count can't drop to zero here because it is > 1 and we are only dropping one ref.
        if (flt.CowNow && m.Anons[anon.Index].Ref > 1)
        {
            flt.Promote = true;
            error = UpperPromote(m, ref ufi, ref flt, uobj, anon);
        }
        else
        {
            error = UpperDirect(m, ref ufi, ref flt, uobj, anon);
        }
        return error;
    }

    /// <summary>
    /// uvm_fault_upper_loan: handle loaned upper page.
    /// 1. if not cow'ing now, simply adjust flt->enter_prot. 2. if cow'ing now, and if ref count is 1, break loan.
    /// </summary>
    private static Errno UpperLoan(Machine m, ref FaultInfo ufi, ref FaultCtx flt, AnonId anon, ref ObjId ruobj)
    {
        if (!flt.CowNow)
        {
            // for read faults on loaned pages we just cap the protection at read-only.
            flt.EnterProt &= ~Prot.Write;
            return Errno.OK;
        }
        // note that we can't allow writes into a loaned page! if the anon's reference count is greater than
        // one we are going to do a normal copy-on-write fault into a new anon. however, if it is one (a case
        // where we would normally allow a write directly to the page) then we need to kill the loan first.
        if (m.Anons[anon.Index].Ref == 1)
        {
            var error = m.LoanBreakAnon(anon, ruobj);
            if (error != Errno.OK)
            {
                UnlockAll(m, ref ufi, m.Entries[ufi.Entry.Index].Amap, ruobj);
                m.UvmWait(ref flt.Waits);
                return Errno.ERESTART;
            }
            // if we were a loan receiver uobj is gone
            ruobj = ObjId.Null;
        }
        return Errno.OK;
    }

    /// <summary>
    /// uvm_fault_upper_promote: promote upper page.
    /// 1. call uvmfault_promote. 2. enqueue page. 3. deref. 4. pass page to uvm_fault_upper_enter.
    /// </summary>
    private static Errno UpperPromote(Machine m, ref FaultInfo ufi, ref FaultCtx flt, ObjId uobj, AnonId anon)
    {
        var oanon = anon;
        m.Cnt.flt_acow++;
        flt.Case = FaultCase.Upper1B;

        var error = Promote(m, ref ufi, ref flt, oanon, PageId.DontCare, out anon);
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
        m.Mem.Enqueue(pg); // uvm_fault_upper_done will activate the page
        m.Mem[pg].Flags &= ~(PageFlags.Busy | PageFlags.Fake);

        // deref: can not drop to zero here by defn!
        K.Assert(m.Anons[oanon.Index].Ref > 1);
        m.Anons[oanon.Index].Ref--;

        // note: oanon is still locked, as is the new anon.
        return UpperEnter(m, ref ufi, ref flt, uobj, anon, pg, oanon);
    }

    /// <summary>uvm_fault_upper_direct: handle direct fault.</summary>
    private static Errno UpperDirect(Machine m, ref FaultInfo ufi, ref FaultCtx flt, ObjId uobj, AnonId anon)
    {
        var oanon = anon;
        m.Cnt.flt_anon++;
        flt.Case = FaultCase.Upper1A;
        ref var a = ref m.Anons[anon.Index];
        var pg = a.Page;
        if (a.Ref > 1) // disallow writes to ref > 1 anons
            flt.EnterProt &= ~Prot.Write;

        return UpperEnter(m, ref ufi, ref flt, uobj, anon, pg, oanon);
    }

    /// <summary>uvm_fault_upper_enter: enter h/w mapping of upper page.</summary>
    private static Errno UpperEnter(Machine m, ref FaultInfo ufi, ref FaultCtx flt,
        ObjId uobj, AnonId anon, PageId pg, AnonId oanon)
    {
        FaultEvents.Enter(FaultStage.Enter);
        int pmap = ufi.OrigMap.Pmap;
        ulong va = ufi.OrigRvaddr;

        // locked: maps(read), amap, oanon, anon(if different from oanon)
        K.Assert(UvmLocks.HoldsAmap(m, m.Entries[ufi.Entry.Index].Amap));

        // now map the page in.
        if (m.Pmaps.Enter(pmap, va, pg, flt.EnterProt, flt.AccessType, Spec.Wired(flt.WireMapping)) != Errno.OK)
        {
            // If pmap_enter() fails, it must not leave behind an existing pmap entry. No need to undo what we
            // did; we can simply think of this as the pmap throwing away the mapping information. We do,
            // however, have to go through the ReFault path, as the map may change while we're asleep.
            K.Assert(!m.Pmaps.Extract(pmap, va));
            UnlockAll(m, ref ufi, m.Entries[ufi.Entry.Index].Amap, uobj);
            if (!m.Reclaimable())
                return Errno.ENOMEM;
            m.UvmWait(ref flt.Waits);
            return Errno.ERESTART;
        }

        UpperDone(m, ref ufi, in flt, anon, pg);

        // done case 1! finish up by unlocking everything and returning success
        UnlockAll(m, ref ufi, m.Entries[ufi.Entry.Index].Amap, uobj);
        return Errno.OK;
    }

    /// <summary>uvm_fault_upper_done: queue upper center page.</summary>
    private static void UpperDone(Machine m, ref FaultInfo ufi, in FaultCtx flt, AnonId anon, PageId pg)
    {
        bool wirePaging = Spec.Wired(flt.WirePaging);

        // ... update the page queues.
        UvmLocks.UvmLockPageq(m);
        if (wirePaging)
        {
            m.Mem.Wire(pg);
            // since the now-wired page cannot be paged out, release its swap resources for others to use.
            // since an anon with no swap cannot be PG_CLEAN, clear its clean flag now.
            m.Mem[pg].Flags &= ~PageFlags.Clean;
        }
        else
        {
            m.Mem.Activate(pg);
        }
        UvmLocks.UvmUnlockPageq(m);

        if (wirePaging)
            m.AnonDropSwap(anon);
    }
}
