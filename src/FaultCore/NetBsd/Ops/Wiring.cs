using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>mlock and munlock: uvm_map_pageable as sys_mlock and sys_munlock call it.</summary>
public sealed partial class Machine
{
    /// <summary>uvm_map_pageable(new_pageable = false), as sys_mlock calls it.</summary>
    private Errno MlockImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        using var locked = LockMap(p);
        ulong start = addr, end = End(addr, npages);
        if (!LookupEntry(p, start, out var startEntry))
            return Errno.ENOMEM; // EFAULT from uvm_map_pageable, ENOMEM from sys_mlock
        ClipStart(p, startEntry, start);

        // Pass 1: clip, create amaps for copy-on-write and zero-fill regions (not a fault: no fltamcopy),
        // count the wiring, and look for holes.
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 0 && r.IsNeedsCopy &&
                ((r.MaxProtection & Prot.Write) != 0 || r.Object.IsNull))
            {
                ReserveForFault(r.NPages);
                AmapCopy(p, e);
            }
            ClipStart(p, e, start);
            ClipEnd(p, e, end);
            ref var c = ref Entries[e.Index];
            c.WiredCount++;
            var next = c.Next;
            if (c.Protection == Prot.None ||
                (c.End < end && (next.IsNull || Entries[next.Index].Start > c.End)))
            {
                // found a hole. amap creation actions do not need to be undone, but the wired counts need to
                // be restored.
                for (var x = e; !x.IsNull && Entries[x.Index].End > start; x = Entries[x.Index].Prev)
                    Entries[x.Index].WiredCount--;
                return Errno.EINVAL;
            }
        }

        // Pass 2: fault the newly wired entries in, with the map downgraded to a read lock (the faults take it
        // for reading again).
        UvmLocks.VmMapDowngrade(this, p);
        var rv = Errno.OK;
        var failed = EntryId.Null;
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 1)
            {
                rv = UvmFault.FaultWire(this, p, r.Start, r.End, r.MaxProtection, maxprot: true);
                if (rv != Errno.OK)
                {
                    failed = e;
                    break;
                }
            }
        }
        if (rv != Errno.OK)
        {
            // Get back to an exclusive (write) lock.
            UvmLocks.VmMapUpgrade(this, p);
            // first drop the wiring count on all the entries which haven't actually been wired yet.
            for (var e = failed; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
                Entries[e.Index].WiredCount--;
            // uvm_fault_wire already unwired the failed entry's pages, while the entry still counted as wired:
            // uvm_fault_unwire skipped pmap_unwire, so those mappings stay marked wired in the pmap (as in 1.208).
            // now, unwire all the entries that were successfully wired above.
            for (var e = startEntry; e != failed; e = Entries[e.Index].Next)
            {
                Entries[e.Index].WiredCount--;
                if (!Entries[e.Index].IsWired)
                    UnwireEntry(p, e);
            }
            return rv == Errno.EFAULT ? Errno.ENOMEM : rv;
        }
        return Errno.OK;
    }

    /// <summary>uvm_map_pageable(new_pageable = true), as sys_munlock calls it.</summary>
    private Errno MunlockImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        using var locked = LockMap(p);
        ulong start = addr, end = End(addr, npages);
        if (!LookupEntry(p, start, out var startEntry))
            return Errno.ENOMEM;
        // unwiring. first ensure that the range to be unwired is really wired down and that there are no holes.
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 0 ||
                (r.End < end && (r.Next.IsNull || Entries[r.Next.Index].Start > r.End)))
                return Errno.EINVAL;
        }
        ClipStart(p, startEntry, start);
        // POSIX 1003.1b - a single munlock call unlocks a region, regardless of the number of mlock calls.
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ClipEnd(p, e, end);
            if (Entries[e.Index].IsWired)
                UnwireEntry(p, e);
        }
        return Errno.OK;
    }
}
