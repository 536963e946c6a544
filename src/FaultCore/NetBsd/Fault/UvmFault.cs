using System.Runtime.CompilerServices;
using static FaultLab.Core.Param;

namespace FaultLab.Core;

// The fault cases, as uvm_fault.c 1.208 draws them (the case reported for an access is its final pass's):
//
//   case [0]: layerless fault: no amap or uobj is present. this is an error (EFAULT).
//   case [1]: upper layer fault [anon active]
//     1A: [read] or [write with anon->an_ref == 1]: I/O takes place in the upper level anon, uobj is not touched.
//     1B: [write with anon->an_ref > 1]: a new anon is allocated and the data is copied off ("COW").
//   case [2]: lower layer fault [uobj]
//     2A: [read on non-NULL uobj] or [write to non-copy_on_write area]: I/O takes place directly in the object.
//     2B: [write to copy_on_write] or [read on NULL uobj]: the data is "promoted" from uobj to a new anon; if
//         uobj is null, we zero fill.
//
// Locking follows the standard UVM protocol order (UvmLocks asserts it in the checked configuration):
//
//   MAPS => AMAP => UOBJ => ANON => PAGE QUEUES (PQ)
//
// an anon's lock is its amap's, and we hold a PG_BUSY page if we unlock for I/O; when the I/O is done the map's
// version number (timestamp) tells whether the lookup still holds (uvmfault_relock), else the fault restarts.

/// <summary>
/// The generic fault path: uvm_fault.c 1.208, one method per function, in its order and with its names.
/// This is the reference every other path is derived from and compared against.
/// </summary>
/// <remarks>
/// The model is single-threaded: the lock calls (<see cref="UvmLocks"/>) record and assert what 1.208 says is
/// held. The one departure from 1.208's code is listed in docs/model.md.
/// </remarks>
internal static partial class UvmFault
{
    /// <summary>MASK(entry): copy-on-write entries never get write access from the lower layer.</summary>
    private static Prot Mask(in VmMapEntry entry) =>
        Spec.CopyOnWrite(entry.IsCopyOnWrite) ? Prot.Read : Prot.ReadWrite;

    /// <summary>
    /// uvm_fault_internal: the fault entry point. Loops on ERESTART ("ReFault"); every pass starts over
    /// from the map lookup.
    /// </summary>
    [SkipLocalsInit] // anons[] and pages[] are written before they are read, as 1.208's stack arrays are
    internal static Errno FaultInternal(Machine m, VmProc origMap, ulong vaddr, Prot accessType,
        FaultFlag faultFlag, out FaultCase faultCase, out int restarts)
    {
        // cpu_nfault++: every call of the fault entry point counts (uvmexp.faults), uvm_fault_wire's included.
        m.Cnt.faults++;
        int heldOnEntry = K.Checked ? m.Locks.Depth : 0; // uvm_fault_wire's caller holds the map
        bool wire = (faultFlag & FaultFlag.Wire) != 0;
        var flt = new FaultCtx
        {
            AccessType = accessType,
            // don't look for neighborhood pages on "wire" fault
            Narrow = wire,
            // "wire" fault causes wiring of both mapping and paging
            WireMapping = wire,
            WirePaging = wire,
        };
        bool maxprot = (faultFlag & FaultFlag.MaxProt) != 0;
        Span<AnonId> anonsStore = stackalloc AnonId[UVM_MAXRANGE];
        Span<PageId> pagesStore = stackalloc PageId[UVM_MAXRANGE];

        var ufi = new FaultInfo
        {
            OrigMap = origMap,
            OrigRvaddr = TruncPage(vaddr),
            OrigSize = PAGE_SIZE, // can't get any smaller than this
        };

        if (FaultEvents.Log.IsEnabled())
            FaultEvents.Log.FaultStart(vaddr, (int)accessType);
        var error = ReFault(m, ref ufi, ref flt, anonsStore, pagesStore, maxprot, out restarts);

        if (!flt.AnonSpare.IsNull)
        {
            ref var spare = ref m.Anons[flt.AnonSpare.Index];
            spare.Ref--;
            K.Assert(spare.Ref == 0 && spare.Page.IsNull);
            m.Anons.Release(flt.AnonSpare.Index);
        }
        faultCase = error == Errno.OK ? flt.Case : FaultCase.Failed;
        K.Assert(!K.Checked || m.Locks.Depth == heldOnEntry, "uvm_fault returns with every lock it took released");
        if (FaultEvents.Log.IsEnabled())
            FaultEvents.Log.FaultStop((int)error, (int)faultCase, restarts);
        return error;
    }

    /// <summary>
    /// The ReFault loop of uvm_fault_internal: a pass per lookup until one does not ask to be redone. Its own
    /// method, without the stack arrays: a method with both a loop and stackalloc cannot be replaced on stack, so
    /// the JIT would compile it straight to full optimization, without tiering's profile (Dynamic PGO).
    /// </summary>
    private static Errno ReFault(Machine m, ref FaultInfo ufi, ref FaultCtx flt, Span<AnonId> anonsStore,
        Span<PageId> pagesStore, bool maxprot, out int restarts)
    {
        Errno error;
        restarts = 0;
        for (;;)
        {
            // uvm_fault_check's first step, hoisted out of it so that the pass can be dispatched on the entry
            // it found: lookup and lock the maps.
            if (!Lookup(m, ref ufi, write: false))
                error = Errno.EFAULT;
            else if (m.Path == FaultPath.Generic)
                error = FaultPass(m, ref ufi, ref flt, anonsStore, pagesStore, maxprot);
            else
                error = DispatchPass(m, ref ufi, ref flt, anonsStore, pagesStore, maxprot);
            if (error != Errno.ERESTART)
                break;
            restarts++;
            if (flt.Waits > Machine.MaxWaitsPerFault)
            {
                error = Errno.ENOMEM;
                break;
            }
        }
        return error;
    }

    /// <summary>
    /// One pass of a specialized fault path: the variant of the pass's configuration (read by
    /// <see cref="Spec.Select"/> from the entry the lookup found and the fault's wiring so far), or the generic
    /// pass when no variant is declared for it. Every pass is dispatched anew, so an ERESTART that changed the
    /// entry takes the variant of the new configuration.
    /// </summary>
    private static Errno DispatchPass(Machine m, ref FaultInfo ufi, ref FaultCtx flt,
        Span<AnonId> anonsStore, Span<PageId> pagesStore, bool maxprot)
    {
        Spec.Select(in m.Entries[ufi.Entry.Index], in flt, out bool wired, out Advice advice, out bool copyOnWrite);
        return m.Path == FaultPath.Specialized
            ? SpecializedPass(wired, advice, copyOnWrite, m, ref ufi, ref flt, anonsStore, pagesStore, maxprot)
            : MonomorphizedPass(wired, advice, copyOnWrite, m, ref ufi, ref flt, anonsStore, pagesStore, maxprot);
    }

    [FaultPathDispatch("specialized")]
    private static partial Errno SpecializedPass(bool wired, Advice advice, bool copyOnWrite, Machine m,
        ref FaultInfo ufi, ref FaultCtx flt, Span<AnonId> anonsStore, Span<PageId> pagesStore, bool maxprot);

    [FaultPathDispatch("monomorphized")]
    private static partial Errno MonomorphizedPass(bool wired, Advice advice, bool copyOnWrite, Machine m,
        ref FaultInfo ufi, ref FaultCtx flt, Span<AnonId> anonsStore, Span<PageId> pagesStore, bool maxprot);

    /// <summary>One pass of the ReFault loop. => locked: maps(read).</summary>
    [FaultPathEntry]
    private static Errno FaultPass(Machine m, ref FaultInfo ufi, ref FaultCtx flt,
        Span<AnonId> anonsStore, Span<PageId> pagesStore, bool maxprot)
    {
        Span<AnonId> anons = anonsStore;
        Span<PageId> pages = pagesStore;

        var error = FaultCheck(m, ref ufi, ref flt, ref anons, maxprot);
        if (error != Errno.OK)
            return error;

        error = UpperLookup(m, ref ufi, in flt, anons, pages);
        if (error != Errno.OK)
            return error;

        if (pages[flt.CenterIdx] == PageId.DontCare)
            return Upper(m, ref ufi, ref flt, anons);
        // The model's objects are vnodes: none has a "special" pgo_fault routine.
        return Lower(m, ref ufi, ref flt, pages);
    }

    /// <summary>
    /// uvm_fault_check: check prot, handle needs-copy, etc.
    /// 1. lookup entry. 2. check protection. 3. adjust fault condition (mainly for simulated fault).
    /// 4. handle needs-copy (lazy amap copy). 5. establish range of interest for neighbor fault.
    /// 6. look up anons (if amap exists). 7. flush pages (if MADV_SEQUENTIAL).
    /// => called with the maps locked: step 1, the lookup, is done by the ReFault loop.
    /// => if we fail (result != 0) we unlock everything.
    /// </summary>
    private static Errno FaultCheck(Machine m, ref FaultInfo ufi, ref FaultCtx flt,
        ref Span<AnonId> ranons, bool maxprot)
    {
        FaultEvents.Enter(FaultStage.Check);
        // locked: maps(read)
        ref var entry = ref m.Entries[ufi.Entry.Index];

        // check protection
        var checkProt = maxprot ? entry.MaxProtection : entry.Protection;
        if ((checkProt & flt.AccessType) != flt.AccessType)
        {
            UnlockMaps(m, ref ufi, write: false);
            return Errno.EFAULT;
        }

        // "enter_prot" is the protection we want to enter the page in at. for certain pages (e.g.
        // copy-on-write pages) this protection can be more strict than entry->protection. "wired" means
        // either the entry is wired or we are fault-wiring the pg.
        flt.EnterProt = entry.Protection;
        if (Spec.Wired(entry.IsWired || flt.WireMapping))
        {
            flt.WireMapping = true;
            flt.WirePaging = true;
            flt.Narrow = true;
        }

        if (Spec.Wired(flt.WireMapping))
        {
            flt.AccessType = flt.EnterProt; // full access for wired
            flt.CowNow = (checkProt & Prot.Write) != 0;
        }
        else
        {
            flt.CowNow = (flt.AccessType & Prot.Write) != 0;
        }

        flt.Promote = false;

        // handle "needs_copy" case. if we need to copy the amap we will have to drop our readlock and relock
        // it with a write lock.
        if (entry.IsNeedsCopy)
        {
            if (flt.CowNow || entry.Object.IsNull)
            {
                K.Assert(!maxprot);
                // need to clear
                UnlockMaps(m, ref ufi, write: false);
                AmapCopy(m, ref ufi, ref flt);
                m.Cnt.fltamcopy++;
                return Errno.ERESTART;
            }
            // ensure that we pmap_enter page R/O since needs_copy is still true
            flt.EnterProt &= ~Prot.Write;
        }

        // identify the players
        var amap = entry.Amap;   // upper layer
        var uobj = entry.Object; // lower layer

        // check for a case 0 fault. if nothing backing the entry then error now.
        if (amap.IsNull && uobj.IsNull)
        {
            UnlockMaps(m, ref ufi, write: false);
            return Errno.EFAULT;
        }

        // establish range of interest based on advice from mapper and then clip to fit map entry. note that
        // we only want to do this the first time through the fault. if we ReFault we will disable this by
        // setting "narrow" to true.
        int nback;
        if (!flt.Narrow)
        {
            // wide fault (!narrow): the uvmadvice table
            int advBack, advForw;
            switch (Spec.Advice(entry.Advice))
            {
                case Advice.Normal:
                    advBack = 3;
                    advForw = 4;
                    break;
                case Advice.Random:
                    advBack = 0;
                    advForw = 0;
                    break;
                default: // Advice.Sequential
                    advBack = 8;
                    advForw = 7;
                    break;
            }
            nback = Math.Min(advBack, (int)((ufi.OrigRvaddr - entry.Start) >> PAGE_SHIFT));
            flt.StartVa = ufi.OrigRvaddr - ((ulong)nback << PAGE_SHIFT);
            // note: "-1" because we don't want to count the faulting page as forw
            int nforw = Math.Min(advForw, (int)((entry.End - ufi.OrigRvaddr) >> PAGE_SHIFT) - 1);
            flt.NPages = nback + nforw + 1;
            flt.CenterIdx = nback;
            flt.Narrow = true; // ensure only once per-fault
        }
        else
        {
            // narrow fault!
            nback = 0;
            flt.StartVa = ufi.OrigRvaddr;
            flt.NPages = 1;
            flt.CenterIdx = 0;
        }
        // offset from entry's start to pgs' start
        ulong eoff = flt.StartVa - entry.Start;

        // locked: maps(read)
        // if we've got an amap, lock it and extract current anons.
        if (!amap.IsNull)
        {
            UvmLocks.AmapLock(m, amap);
            m.AmapLookups(in entry, eoff, ranons, flt.NPages);
        }
        else
        {
            ranons = default; // to be safe
        }
        // locked: maps(read), amap(if there)

        // for MADV_SEQUENTIAL mappings we want to deactivate the back pages now and then forget about them
        // (for the rest of the fault).
        if (Spec.Advice(entry.Advice) == Advice.Sequential && nback != 0)
        {
            // flush back-page anons?
            if (!amap.IsNull)
                AnonFlush(m, ranons, nback);

            // flush object?
            if (!uobj.IsNull)
            {
                ulong uoff = entry.Offset + eoff;
                m.PagerDeactivate(m.Objects[uobj.Index], uoff, uoff + ((ulong)nback << PAGE_SHIFT));
            }

            // now forget about the backpages
            if (!amap.IsNull)
                ranons = ranons[nback..];
            flt.StartVa += (ulong)nback << PAGE_SHIFT;
            flt.NPages -= nback;
            flt.CenterIdx = 0;
        }
        // => startva is fixed => npages is fixed
        K.Assert(flt.StartVa <= ufi.OrigRvaddr);
        K.Assert(ufi.OrigRvaddr + ufi.OrigSize <= flt.StartVa + ((ulong)flt.NPages << PAGE_SHIFT));
        return Errno.OK;
    }
}
