using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>The pager's answer (VM_PAGER_*).</summary>
internal enum PagerResult : byte
{
    Ok,
    /// <summary>VM_PAGER_BAD: the offset is outside what the pager holds.</summary>
    Bad,
    /// <summary>VM_PAGER_FAIL: the pager does not have the page.</summary>
    Fail,
    /// <summary>VM_PAGER_ERROR: an I/O error.</summary>
    Error,
}

/// <summary>vm_pager.c's dispatch to the vnode pager (vnode_pager.c) and the swap pager (swap_pager.c).</summary>
public sealed partial class FreeBsdMachine
{
    /// <summary>
    /// vm_pager_has_page: whether the object's pager holds the page at that offset, and how many pages it holds
    /// contiguously before and after it. The vnode pager (vnode_pager_haspage): a file is one contiguous extent on
    /// disk, so only its bounds limit the run (the contract's simplification of VOP_BMAP). The swap pager
    /// (swap_pager_haspage): a block of its own, read one page at a time.
    /// </summary>
    internal bool VmPagerHasPage(ObjId obj, ulong offset, out int before, out int after)
    {
        before = after = 0;
        ref var o = ref Obj(obj);
        int pindex = (int)(offset >> PAGE_SHIFT);
        switch (o.Type)
        {
            case ObjType.Vnode:
                int npages = Vnodes[o.Vnode]!.File.NPages;
                if (pindex >= npages)
                    return false;
                before = pindex;
                after = npages - pindex - 1;
                return true;
            case ObjType.Swap:
                return SwapLookup(obj, pindex) != 0;
            default:
                return false;
        }
    }

    /// <summary>
    /// vm_pager_get_pages: read the <paramref name="count"/> pages of <paramref name="marray"/> (consecutive
    /// offsets of the object) from the pager; <paramref name="reqpage"/> is the page the fault needs. The others
    /// are made valid, deactivated and unbusied (vnode_pager_getpages' read-ahead and read-behind pages).
    /// </summary>
    internal PagerResult VmPagerGetPages(ObjId obj, ReadOnlySpan<PageId> marray, int count, int reqpage)
    {
        ref var o = ref Obj(obj);
        if (o.Type == ObjType.Vnode)
        {
            var file = Vnodes[o.Vnode]!.File;
            for (int i = 0; i < count; i++)
            {
                var pg = marray[i];
                int pindex = Mem[pg].Offset;
                if (pindex >= file.NPages)
                    return PagerResult.Error;
                file.Read(pindex, Mem.Frame(pg));
                Mem[pg].Flags &= ~PageFlags.Fake;
                Mem[pg].Flags |= PageFlags.Clean;
                Valid[pg.Index] = VmPageBitsAll;
                if (i != reqpage)
                {
                    Mem.Deactivate(pg);
                    PageWakeup(pg);
                }
            }
            Cnt.v_vnodein++;
            Cnt.v_vnodepgsin += count;
            return PagerResult.Ok;
        }
        if (o.Type == ObjType.Swap)
        {
            // The model's swap pager reads the one page asked for (the contract's simplification).
            var pg = marray[reqpage];
            int slot = SwapLookup(obj, Mem[pg].Offset);
            if (slot == 0)
                return PagerResult.Fail;
            Swap.Slot(slot).CopyTo(Mem.Frame(pg));
            Mem[pg].Flags &= ~PageFlags.Fake;
            Mem[pg].Flags |= PageFlags.Clean; // equal to its swap copy
            Valid[pg.Index] = VmPageBitsAll;
            Cnt.v_swapin++;
            Cnt.v_swappgsin++;
            return PagerResult.Ok;
        }
        return PagerResult.Fail;
    }

    /// <summary>VM_PAGE_BITS_ALL: every DEV_BSIZE block of a 4 KiB page valid.</summary>
    internal const byte VmPageBitsAll = 0xff;

    /// <summary>vnode_pager_putpages for one page: written back to the file, the page is clean.</summary>
    internal void VnodePagerPut(ObjId obj, PageId pg)
    {
        Vnodes[Obj(obj).Vnode]!.File.Write(Mem[pg].Offset, Mem.Frame(pg));
        Mem[pg].Flags |= PageFlags.Clean;
    }

    /// <summary>
    /// swap_pager_putpages for one page of an anonymous object: a default object becomes a swap object (its pager
    /// is made at its first pageout), the page is written to its block (allocated if it has none). False when swap
    /// is full.
    /// </summary>
    internal bool SwapPagerPut(ObjId obj, PageId pg)
    {
        int pindex = Mem[pg].Offset;
        int slot = SwapLookup(obj, pindex);
        if (slot == 0)
        {
            slot = Swap.Alloc();
            if (slot == 0)
                return false;
            SwapInsert(slot, obj, pindex);
        }
        Obj(obj).Type = ObjType.Swap;
        Mem.Frame(pg).CopyTo(Swap.Slot(slot));
        Mem[pg].Flags |= PageFlags.Clean;
        return true;
    }
}
