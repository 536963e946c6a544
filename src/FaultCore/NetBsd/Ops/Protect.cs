using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>mprotect and madvise: uvm_map_protect and uvm_map_advice.</summary>
public sealed partial class Machine
{
    private Errno MprotectImpl(ProcId pid, ulong addr, int npages, Prot prot)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages) || !ValidProt(prot))
            return Errno.EINVAL;
        using var locked = LockMap(p);
        ulong end = End(addr, npages);
        // uvm_map_protect acts on the entries inside the range: holes, or no entry at all, are not errors.
        var first = FirstEntryFrom(p, addr);
        // make a first pass to check for protection violations.
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
            if ((prot & Entries[e.Index].MaxProtection) != prot)
                return Errno.EACCES;
        if (!ClipRangeAny(p, addr, end, out first))
            return Errno.OK;
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            var old = r.Protection;
            r.Protection = prot;
            // update pmap! (pmap_protect never adds rights)
            if (old != prot)
                Pmaps.Protect(p.Pmap, r.Start, r.End, prot & (r.IsCopyOnWrite ? Prot.Read : Prot.ReadWrite));
        }
        p.Timestamp++;
        return Errno.OK;
    }

    private Errno MadviseImpl(ProcId pid, ulong addr, int npages, Advice advice)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages) || advice > Advice.Sequential)
            return Errno.EINVAL;
        using var locked = LockMap(p);
        ulong end = End(addr, npages);
        // uvm_map_advice: the entries inside the range, none at all included.
        if (!ClipRangeAny(p, addr, end, out var first))
            return Errno.OK;
        for (var e = first; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
            Entries[e.Index].Advice = advice;
        p.Timestamp++;
        return Errno.OK;
    }
}
