using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>
/// pageout of a range and the page daemon: the shared clock (<see cref="PageDaemonClock"/>) with this family's
/// reclaim. A page of an anonymous object goes to its swap block (a default object becomes a swap object), a dirty
/// vnode page is written back; wired and busy pages are never freed.
/// </summary>
public sealed partial class FreeBsdMachine
{
    private Errno PageoutImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        bool any = false;
        for (int i = 0; i < npages; i++)
        {
            ulong va = addr + ((ulong)i << PAGE_SHIFT);
            if (!LookupEntry(p, va, out var e))
                continue;
            any = true;
            var pg = ChainPage(in Entries[e.Index], va, out _, out _);
            if (pg.IsPage)
                TryReclaim(pg);
        }
        return any ? Errno.OK : Errno.EINVAL;
    }

    private int PageDaemonImpl(int npages) => npages <= 0 ? 0 : PageDaemonClock.Scan(Mem, npages, new Reclaimer(this));

    private readonly struct Reclaimer(FreeBsdMachine m) : IPageReclaimer
    {
        public bool TryReclaim(PageId pg) => m.TryReclaim(pg);
    }

    /// <summary>Whether the daemon could free this page now.</summary>
    private bool CanReclaim(PageId pg)
    {
        ref var p = ref Mem[pg];
        if (p.WireCount != 0 || (p.Flags & PageFlags.Busy) != 0 || p.Object.IsNull)
            return false;
        ref var o = ref Obj(p.Object);
        if (o.PagingInProgress != 0)
            return false;
        return !o.IsAnonymous || SwapLookup(p.Object, p.Offset) != 0 || !Swap.IsFull;
    }

    /// <summary>vm_pageout_clean and vm_page_free for one page: its data written out first.</summary>
    private bool TryReclaim(PageId pg)
    {
        if (!CanReclaim(pg))
            return false;
        var obj = Mem[pg].Object;
        Pmaps.PageProtect(pg, Prot.None); // vm_page_protect(m, VM_PROT_NONE)
        if (Obj(obj).IsAnonymous)
        {
            if (!SwapPagerPut(obj, pg))
                return false;
        }
        else if ((Mem[pg].Flags & PageFlags.Clean) == 0)
        {
            VnodePagerPut(obj, pg);
        }
        VmPageFree(pg);
        return true;
    }

    /// <summary>Whether the page daemon can free anything at all.</summary>
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

    /// <summary>
    /// VM_WAIT: the model runs the page daemon synchronously instead of sleeping; false when nothing can be
    /// reclaimed (the kernel would sleep forever; the model's fault gets ENOMEM).
    /// </summary>
    internal bool VmWait(ref int waits)
    {
        waits++;
        if (!Reclaimable())
            return false;
        PageDaemonImpl(FreeTarget);
        return true;
    }

    /// <summary>vm_page_copy: the destination becomes a valid, dirty copy.</summary>
    internal void VmPageCopy(PageId src, PageId dst)
    {
        Mem.Copy(src, dst);
        Valid[dst.Index] = VmPageBitsAll;
    }

    /// <summary>vm_page_unwire: one wiring less; the last puts the page on the active queue.</summary>
    internal void VmPageUnwire(PageId pg)
    {
        if (Mem[pg].WireCount > 0)
            Mem.Unwire(pg);
    }

    /// <summary>
    /// What a read at va would find, without faulting: the first resident page down the entry's chain (returned),
    /// or the object whose pager holds the data (<paramref name="where"/>; <paramref name="slot"/> its swap slot, or
    /// 0 for a vnode's file). NULL page and NULL object: the chain ends, the read zero-fills; NULL page and a vnode
    /// object past its size: the read fails.
    /// </summary>
    internal PageId ChainPage(in FbsdMapEntry e, ulong va, out ObjId where, out int slot)
    {
        slot = 0;
        var obj = e.Object;
        ulong offset = va - e.Start + e.Offset;
        while (!obj.IsNull)
        {
            int pindex = (int)(offset >> PAGE_SHIFT);
            var pg = VmPageLookup(obj, pindex);
            if (pg.IsPage)
            {
                where = obj;
                return pg;
            }
            ref var o = ref Obj(obj);
            if (o.Type == ObjType.Swap && (slot = SwapLookup(obj, pindex)) != 0)
            {
                where = obj;
                return PageId.Null;
            }
            if (o.Type == ObjType.Vnode)
            {
                where = obj;
                return PageId.Null;
            }
            offset += o.BackingObjectOffset;
            obj = o.BackingObject;
        }
        where = ObjId.Null;
        return PageId.Null;
    }
}
