namespace FaultLab.Core;

/// <summary>
/// The model's page daemon: the shared two-handed clock (<see cref="PageDaemonClock"/>) with UVM's reclaim.
/// It never frees a wired, loaned or busy page, and never loses data: an anon page is written to swap first
/// (skipped when swap is full), a dirty object page is written back to its file first.
/// </summary>
public sealed partial class Machine
{
    private int PageDaemonImpl(int npages)
    {
        if (npages <= 0)
            return 0;
        UvmLocks.UvmLockPageq(this);
        try
        {
            return Scan(npages);
        }
        finally
        {
            UvmLocks.UvmUnlockPageq(this);
        }
    }

    /// <summary>The daemon's clock (shared with the other families), with the page queues locked.</summary>
    private int Scan(int npages) => PageDaemonClock.Scan(Mem, npages, new Reclaimer(this));

    /// <summary>What the clock does with a page it picked: UVM's owners (anon or object) page it out.</summary>
    private readonly struct Reclaimer(Machine m) : IPageReclaimer
    {
        public bool TryReclaim(PageId pg) => m.TryReclaim(pg);
    }

    /// <summary>Whether the daemon could free this page now.</summary>
    private bool CanReclaim(PageId pg)
    {
        ref var p = ref Mem[pg];
        if (p.WireCount != 0 || p.LoanCount != 0 || (p.Flags & PageFlags.Busy) != 0)
            return false;
        if (!p.Anon.IsNull)
        {
            ref var a = ref Anons[p.Anon.Index];
            return a.SwSlot > 0 || !Swap.IsFull;
        }
        return !p.Object.IsNull;
    }

    /// <summary>Frees one page the way the daemon does, writing its data out first; false if it cannot.</summary>
    private bool TryReclaim(PageId pg)
    {
        if (!CanReclaim(pg))
            return false;
        // the owner's lock, by mutex_tryenter: the page queues are locked, which is the wrong order
        var anon = Mem[pg].Anon;
        var obj = Mem[pg].Object;
        if (!anon.IsNull)
            UvmLocks.AnonTryLock(this, anon);
        else
            UvmLocks.UobjTryLock(this, obj);
        Reclaim(pg);
        if (!anon.IsNull)
            UvmLocks.AnonUnlock(this, anon);
        else
            UvmLocks.UobjUnlock(this, obj);
        return true;
    }

    /// <summary>Pages the page out: swap for an anon's page, a write-back for a dirty object page; then frees it.</summary>
    private void Reclaim(PageId pg)
    {
        Pmaps.PageProtect(pg, Prot.None);
        ref var p = ref Mem[pg];
        if (!p.Anon.IsNull)
        {
            ref var a = ref Anons[p.Anon.Index];
            if (a.SwSlot <= 0)
                a.SwSlot = Swap.Alloc();
            Mem.Frame(pg).CopyTo(Swap.Slot(a.SwSlot));
            a.Page = PageId.Null;
            p.Anon = AnonId.Null;
        }
        else
        {
            var uobj = Objects[p.Object.Index];
            if ((p.Flags & PageFlags.Clean) == 0)
                PagerPut(uobj, pg);
            uobj.Resident[p.Offset] = PageId.Null;
            p.Object = ObjId.Null;
            UpdateObjectClean(uobj);
        }
        Mem.Free(pg);
    }

    /// <summary>uvm_reclaimable: whether the page daemon can free anything at all.</summary>
    internal bool Reclaimable()
    {
        for (int i = Mem.InactiveHead; i != 0; i = Mem[new PageId(i)].Next)
            if (CanReclaim(new PageId(i)))
                return true;
        for (int i = Mem.ActiveHead; i != 0; i = Mem[new PageId(i)].Next)
            if (CanReclaim(new PageId(i)))
                return true;
        return false;
    }

    /// <summary>uvm_wait: the model runs the page daemon synchronously instead of sleeping.</summary>
    internal void UvmWait(ref int waits)
    {
        waits++;
        PageDaemonImpl(FreeTarget);
    }

    internal void UvmWait()
    {
        int ignored = 0;
        UvmWait(ref ignored);
    }

    /// <summary>uvm_swap_get: read an anon's page back from its swap slot.</summary>
    internal Errno SwapGet(PageId pg, int slot)
    {
        if (!Swap.IsAllocated(slot))
            return Errno.EIO;
        Swap.Slot(slot).CopyTo(Mem.Frame(pg));
        Mem[pg].Flags |= PageFlags.Clean; // equal to its swap copy
        return Errno.OK;
    }

    /// <summary>pgo_put(PGO_DEACTIVATE) over [start, end) of the object: deactivate its resident pages.</summary>
    internal void PagerDeactivate(UvmObject uobj, ulong start, ulong end)
    {
        for (ulong off = start; off < end; off += Param.PAGE_SIZE)
        {
            int i = (int)(off >> Param.PAGE_SHIFT);
            if (i < 0 || i >= uobj.NPages)
                continue;
            var pg = uobj.Resident[i];
            if (pg.IsPage && (Mem[pg].Flags & PageFlags.Busy) == 0 && Mem[pg].Queue != PageQueue.Inactive)
                Mem.Deactivate(pg);
        }
    }

    /// <summary>
    /// A vnode is clean again once no resident page of it is dirty: from then on its pages need write faults
    /// again (UVM_OBJ_NEEDS_WRITEFAULT), so its remaining writable mappings are write-protected, as
    /// genfs_putpages does to the pages it cleans. A wired page mapped writable cannot be write-protected
    /// (it must not fault), so it keeps the vnode dirty.
    /// </summary>
    internal void UpdateObjectClean(UvmObject uobj)
    {
        if (!uobj.Dirty)
            return;
        foreach (var pg in uobj.Resident)
        {
            if (!pg.IsPage)
                continue;
            if ((Mem[pg].Flags & PageFlags.Clean) == 0 || (Mem[pg].WireCount > 0 && Pmaps.IsMappedWritable(pg)))
                return;
        }
        foreach (var pg in uobj.Resident)
            if (pg.IsPage)
                Pmaps.PageProtect(pg, Prot.Read);
        uobj.Dirty = false;
    }
}
