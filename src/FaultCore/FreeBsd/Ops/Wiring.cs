namespace FaultLab.Core;

/// <summary>mlock and munlock: vm_map_pageable as sys_mlock and sys_munlock call it.</summary>
public sealed partial class FreeBsdMachine
{
    /// <summary>cnt.v_pageout_free_min: vm_fault_wire waits for the page daemon below it.</summary>
    internal const int PageoutFreeMin = 4;

    /// <summary>
    /// vm_map_pageable(new_pageable = FALSE). Pass 1, holding the write lock: create any shadow or zero-fill
    /// objects that need to be created, clip each entry to the range and increment its wiring count, and look for
    /// holes. Pass 2: vm_fault_wire each newly wired entry. The errors are the NetBSD family's (the contract):
    /// range start unmapped ENOMEM, a hole or a `none` entry EINVAL, a failed wiring fault its error (EFAULT made
    /// ENOMEM, as sys_mlock does).
    /// </summary>
    private Errno MlockImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        ulong start = addr, end = End(addr, npages);
        if (!LookupEntry(p, start, out var startEntry))
            return Errno.ENOMEM;

        // Pass 1.
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 0)
            {
                // Perform actions of vm_map_lookup that need the write lock on the map: create a shadow object
                // for a copy-on-write region, or an object for a zero-fill region.
                if (r.NeedsCopy && (r.Protection & Prot.Write) != 0)
                {
                    Objects.Reserve(1);
                    VmObjectShadow(ref r.Object, ref r.Offset, r.End - r.Start);
                    r.NeedsCopy = false;
                }
                else if (r.Object.IsNull)
                {
                    Objects.Reserve(1);
                    r.Object = VmObjectAllocate(ObjType.Default, r.End - r.Start);
                    r.Offset = 0;
                }
            }
            ClipStart(p, e, start);
            ClipEnd(p, e, end);
            ref var c = ref Entries[e.Index];
            c.WiredCount++;
            // Check for holes (and, as the contract has it, entries that may not be accessed).
            var next = c.Next;
            if (c.Protection == Prot.None || (c.End < end && (next.IsNull || Entries[next.Index].Start > c.End)))
            {
                // Found one. Object creation actions do not need to be undone, but the wired counts need to be
                // restored.
                for (var x = e; !x.IsNull && Entries[x.Index].End > start; x = Entries[x.Index].Prev)
                    Entries[x.Index].WiredCount--;
                return Errno.EINVAL;
            }
        }

        // Pass 2. If vm_fault_wire fails for any page we need to undo what has been done. We decrement the wiring
        // count for those pages which have not yet been wired (now) and unwire those that have (later).
        var rv = Errno.OK;
        ulong failed = 0;
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (rv != Errno.OK)
            {
                r.WiredCount--;
            }
            else if (r.WiredCount == 1)
            {
                rv = FreeBsdFault.VmFaultWire(this, p, r.Start, r.End);
                if (rv != Errno.OK)
                {
                    failed = Entries[e.Index].Start;
                    Entries[e.Index].WiredCount--;
                }
            }
        }
        if (rv != Errno.OK)
        {
            // (void) vm_map_pageable(map, start, failed, TRUE);
            if (failed > start)
                Unwire(p, start, failed);
            return rv == Errno.EFAULT ? Errno.ENOMEM : rv;
        }
        return Errno.OK;
    }

    /// <summary>vm_map_pageable(new_pageable = TRUE), as sys_munlock calls it.</summary>
    private Errno MunlockImpl(ProcId pid, ulong addr, int npages)
    {
        var p = LiveProc(pid);
        if (p is null || !ValidRange(addr, npages))
            return Errno.EINVAL;
        ulong start = addr, end = End(addr, npages);
        if (!LookupEntry(p, start, out var startEntry))
            return Errno.ENOMEM;
        // Unwiring. First ensure that the range to be unwired is really wired down and that there are no holes.
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 0 || (r.End < end && (r.Next.IsNull || Entries[r.Next.Index].Start > r.End)))
                return Errno.EINVAL;
        }
        // POSIX 1003.1b - a single munlock call unlocks a region, regardless of the number of mlock calls (the
        // contract has munlock as the NetBSD family's; 1995's vm_map_pageable drops one wiring per call).
        Unwire(p, start, end, all: true);
        return Errno.OK;
    }

    /// <summary>
    /// Now decrement the wiring count for each region (every wiring, for munlock). If a region becomes completely
    /// unwired, unwire its physical pages and mappings.
    /// </summary>
    private void Unwire(VmProc p, ulong start, ulong end, bool all = false)
    {
        if (!LookupEntry(p, start, out var startEntry))
            return;
        ClipStart(p, startEntry, start);
        for (var e = startEntry; !e.IsNull && Entries[e.Index].Start < end; e = Entries[e.Index].Next)
        {
            ClipEnd(p, e, end);
            ref var r = ref Entries[e.Index];
            if (r.WiredCount == 0)
                continue;
            r.WiredCount = all ? 0 : r.WiredCount - 1;
            if (r.WiredCount == 0)
                FreeBsdFault.VmFaultUnwire(this, p, r.Start, r.End);
        }
        p.Timestamp++;
    }
}
