using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>munmap: sys_munmap, uvm_unmap_remove and uvm_unmap_detach.</summary>
public sealed partial class Machine
{
    private Errno MunmapImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        // sys_munmap's check that the entire range is allocated is #if 0: holes and unmapped ranges are fine.
        using var locked = LockMap(p);
        UnmapRange(p, addr, End(addr, npages));
        return Errno.OK;
    }

    /// <summary>uvm_unmap_remove + uvm_unmap_detach: clip, unwire, remove mappings, drop references.</summary>
    private void UnmapRange(VmProc p, ulong start, ulong end)
    {
        if (!ClipRangeAny(p, start, end, out var e))
            return;
        while (!e.IsNull && Entries[e.Index].Start < end)
        {
            var next = Entries[e.Index].Next;
            ref var r = ref Entries[e.Index];
            if (r.IsWired)
                UnwireEntry(p, e);
            Pmaps.Remove(p.Pmap, r.Start, r.End);
            UnlinkEntry(p, e);
            if (!r.Amap.IsNull)
                AmapUnref(r.Amap);
            if (!r.Object.IsNull)
                Objects[r.Object.Index].Refs--;
            Entries.Release(e.Index);
            e = next;
        }
    }

    /// <summary>Clips the entries overlapping [start, end) to it; false when none overlaps.</summary>
    private bool ClipRangeAny(VmProc p, ulong start, ulong end, out EntryId first)
    {
        ClipRange(p, start, end, out first);
        return !first.IsNull && Entries[first.Index].Start < end;
    }

    /// <summary>uvm_map_entry_unwire.</summary>
    private void UnwireEntry(VmProc p, EntryId e)
    {
        ref var r = ref Entries[e.Index];
        r.WiredCount = 0;
        UvmFault.FaultUnwire(this, p, r.Start, r.End);
    }
}
