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

    private Errno LoanImpl(ProcId pid, ulong addr, int npages)
    {
        var p = Proc(pid);
        if (p is null || !p.Alive || !ValidRange(addr, npages))
            return Errno.EINVAL;
        // Bring every page in and lend it at once, so that a later page's fault (which may run the page
        // daemon) cannot take it away; on failure, end the loans this call made (as uvm_loan does).
        int firstLoan = Loans.Count;
        for (int i = 0; i < npages; i++)
        {
            ulong va = addr + ((ulong)i << Param.PAGE_SHIFT);
            var error = LoanOne(p, va);
            if (error != Errno.OK)
            {
                for (int k = Loans.Count - 1; k >= firstLoan; k--)
                {
                    var loan = Loans[k];
                    Loans.RemoveAt(k);
                    UnloanPage(loan.Page);
                }
                return error;
            }
        }
        return Errno.OK;
    }

    /// <summary>Lends the page the process sees at va, faulting it in with a read if it is not mapped.</summary>
    private Errno LoanOne(VmProc p, ulong va)
    {
        if (!Pmaps.Extract(p.Pmap, va, out var pg, out _, out _))
        {
            ReserveForFaultAt(p, va);
            var error = UvmFault.FaultInternal(this, p, va, Prot.Read, FaultFlag.None, out _, out _);
            if (error != Errno.OK)
                return error;
            if (!Pmaps.Extract(p.Pmap, va, out pg, out _, out _))
                return Errno.EFAULT;
        }
        // uvm_loanpage refuses wired pages.
        if (Mem[pg].WireCount > 0)
            return Errno.EBUSY;
        Pmaps.PageProtect(pg, Prot.Read);
        Mem[pg].LoanCount++;
        Loans.Add(new LoanRecord(p.Id, va, pg));
        return Errno.OK;
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

    /// <summary>uvm_unloanpage: drop one loan; a page left with no loan and no owner is freed.</summary>
    private void UnloanPage(PageId pg)
    {
        ref var p = ref Mem[pg];
        p.LoanCount--;
        if (p.LoanCount == 0 && !p.HasOwner)
            Mem.Free(pg);
    }
}
