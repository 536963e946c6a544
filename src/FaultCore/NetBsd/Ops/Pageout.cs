using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>pageout of a range, and what is behind a page of an entry.</summary>
public sealed partial class Machine
{
    private Errno PageoutImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        bool any = false;
        UvmLocks.VmMapLockRead(this, p);
        for (int i = 0; i < npages; i++)
        {
            ulong va = addr + ((ulong)i << PAGE_SHIFT);
            if (!LookupEntry(p, va, out var e))
                continue;
            any = true;
            var pg = PageBehind(in Entries[e.Index], va, out _);
            if (pg.IsPage)
                TryReclaim(pg);
        }
        UvmLocks.VmMapUnlockRead(this, p);
        return any ? Errno.OK : Errno.EINVAL;
    }

    /// <summary>
    /// The resident page that backs va in the entry (the anon's if the amap has one there, else the object's),
    /// or NULL; <paramref name="anon"/> is the anon, if any.
    /// </summary>
    internal PageId PageBehind(in VmMapEntry e, ulong va, out AnonId anon)
    {
        anon = AnonId.Null;
        if (!e.Amap.IsNull)
        {
            anon = AmapLookup(in e, va - e.Start);
            if (!anon.IsNull)
                return Anons[anon.Index].Page;
        }
        return e.Object.IsNull ? PageId.Null : ObjectPage(in e, va);
    }

    /// <summary>uvm_pagelookup of the entry's object at the offset of va: its resident page, or NULL.</summary>
    internal PageId ObjectPage(in VmMapEntry e, ulong va)
    {
        var uobj = Objects[e.Object.Index];
        ulong pgoff = (e.Offset + (va - e.Start)) >> PAGE_SHIFT;
        return pgoff < (ulong)uobj.NPages ? uobj.Resident[pgoff] : PageId.Null;
    }
}
