using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>Page loans to the kernel (uvm_loan.c, to-kernel loans only).</summary>
public sealed partial class Machine
{
    /// <summary>
    /// uvm_loanbreak_anon: give the anon a private copy of its loaned page. The old page stays with the kernel's
    /// loan, owned by nobody, until uvm_unloan frees it.
    /// </summary>
    internal Errno LoanBreakAnon(AnonId anon, ObjId uobj)
    {
        // get new un-owned replacement page
        var newpg = Mem.Alloc(AnonId.Null, ObjId.Null, 0, zero: false);
        if (newpg.IsNull)
            return Errno.ENOMEM;
        ref var a = ref Anons[anon.Index];
        var oldpg = a.Page;
        Mem.Copy(oldpg, newpg); // old -> new
        Pmaps.PageProtect(oldpg, Prot.None); // force reload
        if (uobj.IsNull)
            Mem.Dequeue(oldpg); // we were the lender (A->K): off the paging queues
        Mem[oldpg].Anon = AnonId.Null;
        // install new page in anon
        a.Page = newpg;
        Mem[newpg].Anon = anon;
        Mem.Activate(newpg);
        Mem[newpg].Flags &= ~(PageFlags.Busy | PageFlags.Fake);
        return Errno.OK;
    }

    /// <summary>
    /// uvm_loanbreak: replace a loaned object page by a copy in the object (returned busy); the old page stays
    /// lent to the kernel, owned by nobody. NULL when no page is free.
    /// </summary>
    internal PageId LoanBreak(PageId uobjpage)
    {
        // alloc new un-owned page
        var pg = Mem.Alloc(AnonId.Null, ObjId.Null, 0, zero: false);
        if (pg.IsNull)
            return PageId.Null;
        ref var old = ref Mem[uobjpage];
        bool wasClean = (old.Flags & PageFlags.Clean) != 0;
        // copy the data from the old page to the new one and clear the fake flags on the new page (keep it
        // busy). force a reload of the old page by clearing it from all pmaps. transfer dirtiness.
        Mem.Copy(uobjpage, pg);
        Pmaps.PageProtect(uobjpage, Prot.None);
        if (wasClean)
            Mem[pg].Flags |= PageFlags.Clean;
        old.Flags &= ~(PageFlags.Wanted | PageFlags.Busy);

        // replace uobjpage with new page (uvm_pagereplace).
        var uobj = Objects[old.Object.Index];
        Mem[pg].Object = old.Object;
        Mem[pg].Offset = old.Offset;
        uobj.Resident[old.Offset] = pg;
        old.Object = ObjId.Null;

        // if the page is no longer referenced by an anon (i.e. we are breaking an O->K loan), then remove it
        // from any pageq's.
        if (old.Anon.IsNull)
            Mem.Dequeue(uobjpage);

        // install new page
        Mem.Activate(pg);
        return pg;
    }

    /// <summary>
    /// uvm_loan(UVM_LOAN_TOPAGE): lend the pages behind the range to the kernel. Nothing faults and the lender's
    /// pmap gains no mapping: each page is looked up in its map entry (uvm_loanentry) and made resident the way
    /// uvm_loan.c does it, from the anon (uvmfault_anonget, a swap-in if need be), from the object (pgo_get) or,
    /// for a copy-on-write entry with neither, as the single zero page (uvm_loanzero). An unmapped page gets
    /// ENOENT, a page that cannot be lent (wired, no backing, a pager error) EINVAL; then the loans this call
    /// made are ended (uvm_unloanpage), as uvm_loan's fail path does.
    /// </summary>
    private Errno LoanImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        int firstLoan = Loans.Count;
        var error = LoanRange(p, addr, End(addr, npages));
        if (error != Errno.OK)
        {
            // failed to complete loans. drop any loans and return failure code.
            for (int k = Loans.Count - 1; k >= firstLoan; k--)
            {
                var loan = Loans[k];
                Loans.RemoveAt(k);
                UnloanPage(loan.Page);
            }
        }
        return error;
    }

    private Errno LoanRange(VmProc p, ulong start, ulong end)
    {
        var flt = new FaultCtx { AccessType = Prot.Read };
        while (start < end)
        {
            // do the lookup, the only time this will fail is if we hit on an unmapped region (an error).
            var ufi = new FaultInfo { OrigMap = p, OrigRvaddr = start, OrigSize = end - start };
            if (!UvmFault.Lookup(this, ref ufi, write: false))
                return Errno.ENOENT;
            // map now locked. now do the loanout (uvm_loanentry, which unlocks the map).
            ulong stop = Math.Min(end, Entries[ufi.Entry.Index].End);
            // lock us the rest of the way down (we unlock before return)
            var amap = Entries[ufi.Entry.Index].Amap;
            if (!amap.IsNull)
                UvmLocks.AmapLock(this, amap);
            for (; start < stop; start += PAGE_SIZE)
            {
                var rv = LoanPage(p, ref ufi, ref flt, start);
                if (rv == Errno.ERESTART)
                {
                    // relock failed, need to do another lookup (sleeping for memory is bounded in the model).
                    if (flt.Waits > MaxWaitsPerFault)
                        return Errno.ENOMEM;
                    break;
                }
                if (rv != Errno.OK)
                    return rv;
            }
            if (start >= stop)
                UvmFault.UnlockAll(this, ref ufi, amap, ObjId.Null);
        }
        return Errno.OK;
    }

    /// <summary>
    /// One page of uvm_loanentry: check the anon layer first, then the object, then the zero page. OK when the
    /// page was lent (locks still held); ERESTART when the lookup went stale (everything unlocked); otherwise
    /// the error of the loan (everything unlocked).
    /// </summary>
    private Errno LoanPage(VmProc p, ref FaultInfo ufi, ref FaultCtx flt, ulong va)
    {
        ref var entry = ref Entries[ufi.Entry.Index];
        var anon = entry.Amap.IsNull ? AnonId.Null : AmapLookup(in entry, va - entry.Start);
        // locked: map, amap, uobj
        if (!anon.IsNull)
            return LoanAnon(ref ufi, ref flt, anon, va);
        if (!entry.Object.IsNull)
            return LoanUobj(ref ufi, ref flt, va);
        if (entry.IsCopyOnWrite)
            return LoanZero(ref ufi, ref flt, va);
        UvmFault.UnlockAll(this, ref ufi, entry.Amap, ObjId.Null);
        return Errno.EINVAL;
    }

    /// <summary>
    /// uvm_loananon: we are loaning to a kernel page; uvmfault_anonget gets the page resident (it compares the
    /// amap slot of ufi's original address with the anon, as 1.208 does, so a swap-in past the first page of an
    /// entry ends in a relookup).
    /// </summary>
    private Errno LoanAnon(ref FaultInfo ufi, ref FaultCtx flt, AnonId anon, ulong va)
    {
        var error = UvmFault.AnonGet(this, ref ufi, ref flt, Entries[ufi.Entry.Index].Amap, anon);
        if (error == Errno.ERESTART)
            return Errno.ERESTART; // need to refault (i.e. refresh our lookup)
        if (error == Errno.ENOMEM)
            return Errno.ENOMEM; // the model's uvm_wait with nothing reclaimable (the kernel would sleep)
        if (error != Errno.OK)
            return Errno.EINVAL; // otherwise flag it as an error
        // we have the page and its owner locked: do the loan now.
        var pg = Anons[anon.Index].Page;
        if (Mem[pg].WireCount > 0)
        {
            UvmFault.UnlockAll(this, ref ufi, Entries[ufi.Entry.Index].Amap, ObjId.Null);
            return Errno.EINVAL;
        }
        LendPage(ufi.OrigMap, va, pg);
        return Errno.OK;
    }

    /// <summary>
    /// uvm_loanuobj: make sure the object's page is resident (locked pgo_get; if it is not there, pgo_get with
    /// PGO_SYNCIO and a relock, which fails if the map changed or an anon appeared in the slot meanwhile), then
    /// uvm_loanpage, which refuses a wired page.
    /// </summary>
    private Errno LoanUobj(ref FaultInfo ufi, ref FaultCtx flt, ulong va)
    {
        ref var entry = ref Entries[ufi.Entry.Index];
        var amap = entry.Amap;
        bool hasAmap = !amap.IsNull;
        var uobjId = entry.Object;
        var uobj = Objects[uobjId.Index];
        ulong offset = va - entry.Start + entry.Offset;
        // locked: maps(read), amap(if there), uobj
        UvmLocks.UobjLock(this, uobjId);
        Span<PageId> one = stackalloc PageId[1];
        one[0] = PageId.Null;
        PageId pg;
        if (PagerGetLocked(uobj, offset, one, 1, 0, Prot.Read) == 1)
        {
            pg = one[0];
        }
        else
        {
            // if we need to unlock for I/O, do so now (a page past the end of the file fails there: EIO).
            UvmFault.UnlockAll(this, ref ufi, amap, ObjId.Null);
            // locked: uobj
            var error = PagerGetSync(uobj, offset, Prot.Read, ref flt.Waits, out pg);
            // locked: <nothing>
            UvmLocks.UobjUnlock(this, uobjId);
            if (error != Errno.OK)
                return error == Errno.ENOMEM ? Errno.ENOMEM : Errno.EINVAL;
            // pgo_get was a success. attempt to relock everything.
            bool locked = UvmFault.Relock(this, ref ufi);
            if (locked && hasAmap)
                UvmLocks.AmapLock(this, amap);
            UvmLocks.UobjLock(this, uobjId);
            // re-verify that amap slot is still free. if there is a problem we drop our lock (thus force a
            // lookup refresh/retry).
            if (locked && hasAmap && !AmapLookup(in Entries[ufi.Entry.Index], ufi.OrigRvaddr - Entries[ufi.Entry.Index].Start).IsNull)
            {
                UvmFault.UnlockAll(this, ref ufi, amap, ObjId.Null);
                locked = false;
            }
            if (!locked)
            {
                // didn't get the lock? release the page and retry.
                Mem.Activate(pg);
                Mem[pg].Flags &= ~(PageFlags.Busy | PageFlags.Wanted);
                UvmLocks.UobjUnlock(this, uobjId);
                return Errno.ERESTART;
            }
        }
        // at this point we have the page we want ("pg") marked PG_BUSY for us and we have all data structures
        // locked. do the loanout (uvm_loanpage, which unbusies the page).
        Mem[pg].Flags &= ~(PageFlags.Busy | PageFlags.Wanted);
        UvmLocks.UobjUnlock(this, uobjId);
        if (Mem[pg].WireCount > 0)
        {
            UvmFault.UnlockAll(this, ref ufi, amap, ObjId.Null);
            return Errno.EINVAL;
        }
        LendPage(ufi.OrigMap, va, pg);
        return Errno.OK;
    }

    /// <summary>
    /// uvm_loanzero: lend the single zero page, allocated zero-filled the first time it is needed and kept
    /// (owned by uvm_loanzero_object, read-only) for every later zero loan.
    /// </summary>
    private Errno LoanZero(ref FaultInfo ufi, ref FaultCtx flt, ulong va)
    {
        var amap = Entries[ufi.Entry.Index].Amap;
        if (LoanZeroPage.IsNull)
        {
            var pg = Mem.Alloc(AnonId.Null, ObjId.Null, 0, zero: true);
            if (pg.IsNull)
            {
                UvmFault.UnlockAll(this, ref ufi, amap, ObjId.Null);
                if (!Reclaimable())
                    return Errno.ENOMEM;
                UvmWait(ref flt.Waits);
                // relock: the map lookup is redone by the caller.
                return Errno.ERESTART;
            }
            // got a zero'd page.
            Mem[pg].Flags &= ~(PageFlags.Wanted | PageFlags.Busy | PageFlags.Fake);
            Mem[pg].Flags |= PageFlags.RdOnly;
            Mem.Activate(pg);
            LoanZeroPage = pg;
        }
        // loaning to kernel-page
        Mem[LoanZeroPage].LoanCount++;
        Loans.Add(new LoanRecord(ufi.OrigMap.Id, va, LoanZeroPage));
        return Errno.OK;
    }

    /// <summary>The loan of a resident page: read-only everywhere on its first loan, loan_count++, activated.</summary>
    private void LendPage(VmProc p, ulong va, PageId pg)
    {
        if (Mem[pg].LoanCount == 0)
            Pmaps.PageProtect(pg, Prot.Read);
        Mem[pg].LoanCount++;
        Mem.Activate(pg);
        Loans.Add(new LoanRecord(p.Id, va, pg));
    }

    private Errno UnloanImpl(ProcId pid, ulong addr, int npages)
    {
        var p = Proc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        // All or nothing: every page of the range must have a loan of this process to end.
        Span<int> found = npages <= 256 ? stackalloc int[npages] : new int[npages];
        for (int i = 0; i < npages; i++)
        {
            ulong va = addr + ((ulong)i << Param.PAGE_SHIFT);
            found[i] = Loans.FindLastIndex(l => l.Proc == p.Id && l.Va == va);
            if (found[i] < 0)
                return Errno.EINVAL;
        }
        var ends = new List<int>(npages);
        foreach (int f in found)
            ends.Add(f);
        ends.Sort();
        for (int k = ends.Count - 1; k >= 0; k--)
        {
            var loan = Loans[ends[k]];
            Loans.RemoveAt(ends[k]);
            UnloanPage(loan.Page);
        }
        return Errno.OK;
    }

    /// <summary>
    /// uvm_unloanpage: drop one loan; a page left with no loan and no owner is freed (the zero page belongs to
    /// uvm_loanzero_object and stays).
    /// </summary>
    private void UnloanPage(PageId pg)
    {
        ref var p = ref Mem[pg];
        p.LoanCount--;
        if (p.LoanCount == 0 && !p.HasOwner && pg != LoanZeroPage)
            Mem.Free(pg);
    }
}
