namespace FaultLab.Core;

/// <summary>The loan of one page to the kernel by <see cref="Machine.Loan"/>.</summary>
internal readonly record struct LoanRecord(int Proc, ulong Va, PageId Page);

/// <summary>Amaps and anons: the parts of uvm_amap.c and uvm_anon.c the model needs.</summary>
public sealed partial class Machine
{
    /// <summary>uvm_analloc: a new anon with one reference and no data; NULL when the pool is exhausted.</summary>
    internal AnonId AnonAlloc()
    {
        int i = Anons.TryAlloc();
        if (i != 0)
            Anons[i].Ref = 1;
        return new AnonId(i);
    }

    /// <summary>
    /// uvm_anfree: the anon's last reference is gone. Its page is freed, or, if the page is lent to the kernel,
    /// disowned (the loan keeps it until uvm_unloan); its swap slot is released.
    /// </summary>
    internal void AnonFree(AnonId anon)
    {
        ref var a = ref Anons[anon.Index];
        var pg = a.Page;
        if (pg.IsPage)
        {
            Pmaps.PageProtect(pg, Prot.None);
            ref var p = ref Mem[pg];
            p.Anon = AnonId.Null;
            if (p.LoanCount > 0)
            {
                Mem.Dequeue(pg);
            }
            else
            {
                Mem.Free(pg);
            }
        }
        AnonDropSwap(anon);
        Anons.Release(anon.Index);
    }

    /// <summary>uvm_anon_dropswap: release the anon's swap slot (its page is resident and now the only copy).</summary>
    internal void AnonDropSwap(AnonId anon)
    {
        ref var a = ref Anons[anon.Index];
        if (a.SwSlot > 0)
            Swap.Free(a.SwSlot);
        a.SwSlot = 0;
    }

    /// <summary>amap_alloc: a blank amap of <paramref name="nslot"/> slots with one reference; NULL when out of pool.</summary>
    internal AmapId AmapAlloc(int nslot)
    {
        int slots = AmapSlots.TryAlloc(nslot);
        if (slots == 0)
            return AmapId.Null;
        int i = Amaps.TryAlloc();
        if (i == 0)
        {
            AmapSlots.Free(slots, nslot);
            return AmapId.Null;
        }
        ref var am = ref Amaps[i];
        am.Ref = 1;
        am.NSlot = nslot;
        am.SlotBase = slots;
        return new AmapId(i);
    }

    /// <summary>The slot of the amap that backs <paramref name="va"/> in the entry.</summary>
    internal ref AnonId AmapSlot(in VmMapEntry e, ulong va) =>
        ref AmapSlots[Amaps[e.Amap.Index].SlotBase + e.AmapPageOff + (int)((va - e.Start) >> Param.PAGE_SHIFT)];

    /// <summary>amap_lookup: the anon at byte offset <paramref name="eoff"/> of the entry (NULL if none).</summary>
    internal AnonId AmapLookup(in VmMapEntry e, ulong eoff) =>
        AmapSlots[Amaps[e.Amap.Index].SlotBase + e.AmapPageOff + (int)(eoff >> Param.PAGE_SHIFT)];

    /// <summary>amap_lookups: <paramref name="npages"/> anons starting at byte offset <paramref name="eoff"/>.</summary>
    internal void AmapLookups(in VmMapEntry e, ulong eoff, Span<AnonId> anons, int npages)
    {
        int first = Amaps[e.Amap.Index].SlotBase + e.AmapPageOff + (int)(eoff >> Param.PAGE_SHIFT);
        AmapSlots.Block(first, npages).CopyTo(anons);
    }

    /// <summary>
    /// amap_add: put <paramref name="anon"/> in the slot at byte offset <paramref name="eoff"/>. Replacing an
    /// anon of a shared amap removes the old page's mappings so that every sharing process sees the new one.
    /// </summary>
    internal void AmapAdd(in VmMapEntry e, ulong eoff, AnonId anon, bool replace)
    {
        ref var am = ref Amaps[e.Amap.Index];
        ref var slot = ref AmapSlots[am.SlotBase + e.AmapPageOff + (int)(eoff >> Param.PAGE_SHIFT)];
        if (replace)
        {
            var old = Anons[slot.Index].Page;
            if (old.IsPage && (am.Flags & AmapFlags.Shared) != 0)
                Pmaps.PageProtect(old, Prot.None);
        }
        else
        {
            am.NUsed++;
        }
        slot = anon;
    }

    /// <summary>amap_ref: one more entry references the amap (AMAP_SHARED if the reference is a share).</summary>
    internal void AmapRef(AmapId amap, AmapFlags flags)
    {
        UvmLocks.AmapLock(this, amap);
        ref var am = ref Amaps[amap.Index];
        am.Ref++;
        am.Flags |= flags;
        UvmLocks.AmapUnlock(this, amap);
    }

    /// <summary>amap_unref: an entry drops its reference; the last one wipes the amap out (amap_wipeout).</summary>
    internal void AmapUnref(AmapId amap)
    {
        UvmLocks.AmapLock(this, amap);
        ref var am = ref Amaps[amap.Index];
        if (--am.Ref > 0)
        {
            if (am.Ref == 1)
                am.Flags &= ~AmapFlags.Shared;
            UvmLocks.AmapUnlock(this, amap);
            return;
        }
        // amap_wipeout: drop every anon's reference, then the slots and the amap.
        AmapWipe(ref am, 0, am.NSlot);
        AmapSlots.Free(am.SlotBase, am.NSlot);
        Amaps.Release(amap.Index);
        UvmLocks.AmapUnlock(this, amap); // amap_wipeout frees the amap with its lock
    }

    /// <summary>
    /// amap_extend: grow the entry's amap (its only reference) by <paramref name="slotadd"/> slots after the
    /// entry's last slot (<paramref name="forwards"/>) or before its first, moving the slots to a larger block
    /// when the amap has too few. Slots that already exist there are emptied first: with per-page references
    /// (ppref) NetBSD frees the anons of an unmapped part at munmap; the model, which keeps no ppref, frees
    /// them here, before they could reappear in the new mapping.
    /// </summary>
    /// <returns>false when the slot arena cannot hold the larger amap (the mapping is then not merged).</returns>
    internal bool AmapExtend(EntryId entry, int slotadd, bool forwards)
    {
        var amap = Entries[entry.Index].Amap;
        UvmLocks.AmapLock(this, amap);
        bool ok = AmapExtendLocked(entry, slotadd, forwards);
        UvmLocks.AmapUnlock(this, amap);
        return ok;
    }

    private bool AmapExtendLocked(EntryId entry, int slotadd, bool forwards)
    {
        ref var e = ref Entries[entry.Index];
        ref var am = ref Amaps[e.Amap.Index];
        int slotoff = e.AmapPageOff, slotmapped = e.NPages;
        if (forwards)
        {
            int slotneed = slotoff + slotmapped + slotadd;
            AmapWipe(ref am, slotoff + slotmapped, Math.Min(am.NSlot, slotneed));
            if (slotneed > am.NSlot && !AmapResize(ref am, slotneed, shift: 0))
                return false;
        }
        else if (slotoff >= slotadd)
        {
            AmapWipe(ref am, slotoff - slotadd, slotoff);
            e.AmapPageOff -= slotadd;
        }
        else
        {
            AmapWipe(ref am, 0, slotoff);
            int shift = slotadd - slotoff;
            if (!AmapResize(ref am, am.NSlot + shift, shift))
                return false;
            e.AmapPageOff = 0;
        }
        return true;
    }

    /// <summary>Moves the amap's slots to a block of <paramref name="nslot"/> slots, <paramref name="shift"/> slots in.</summary>
    private bool AmapResize(ref VmAmap am, int nslot, int shift)
    {
        AmapSlots.Reserve(nslot);
        int block = AmapSlots.TryAlloc(nslot);
        if (block == 0)
            return false;
        AmapSlots.Block(am.SlotBase, am.NSlot).CopyTo(AmapSlots.Block(block + shift, am.NSlot));
        AmapSlots.Free(am.SlotBase, am.NSlot);
        am.SlotBase = block;
        am.NSlot = nslot;
        return true;
    }

    /// <summary>Empties the slots [from, to) of the amap, dropping their anons' references.</summary>
    private void AmapWipe(ref VmAmap am, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            ref var slot = ref AmapSlots[am.SlotBase + i];
            var anon = slot;
            if (anon.IsNull)
                continue;
            slot = AnonId.Null;
            am.NUsed--;
            if (--Anons[anon.Index].Ref == 0)
                AnonFree(anon);
        }
    }

    /// <summary>
    /// amap_copy: give the entry an amap of its own and clear NEEDSCOPY. No amap: a blank one. The only
    /// reference: take it over. Otherwise: a new amap holding the same anons (each an_ref++).
    /// </summary>
    /// <returns>false when out of amap resources (the entry keeps NEEDSCOPY).</returns>
    internal bool AmapCopy(VmProc p, EntryId entry)
    {
        ref var e = ref Entries[entry.Index];
        if (e.Amap.IsNull)
        {
            var fresh = AmapAlloc(e.NPages);
            if (fresh.IsNull)
                return false;
            e.Amap = fresh;
            e.AmapPageOff = 0;
            e.Etype &= ~EntryType.NeedsCopy;
            p.Timestamp++;
            return true;
        }
        var srcamap = e.Amap;
        ref var src = ref Amaps[srcamap.Index];
        if (src.Ref == 1)
        {
            e.Etype &= ~EntryType.NeedsCopy;
            p.Timestamp++;
            return true;
        }
        var copy = AmapAlloc(e.NPages);
        if (copy.IsNull)
            return false;
        // we must lock the amap while we copy its anons.
        UvmLocks.AmapLock(this, srcamap);
        ref var srcAfter = ref Amaps[e.Amap.Index];
        ref var dst = ref Amaps[copy.Index];
        var from = AmapSlots.Block(srcAfter.SlotBase + e.AmapPageOff, e.NPages);
        var to = AmapSlots.Block(dst.SlotBase, e.NPages);
        for (int i = 0; i < from.Length; i++)
        {
            var anon = from[i];
            if (anon.IsNull)
                continue;
            to[i] = anon;
            Anons[anon.Index].Ref++;
            dst.NUsed++;
        }
        srcAfter.Ref--;
        if (srcAfter.Ref == 1 && (srcAfter.Flags & AmapFlags.Shared) != 0)
            srcAfter.Flags &= ~AmapFlags.Shared;
        UvmLocks.AmapUnlock(this, srcamap);
        e.Amap = copy;
        e.AmapPageOff = 0;
        e.Etype &= ~EntryType.NeedsCopy;
        p.Timestamp++;
        return true;
    }

    /// <summary>
    /// amap_cow_now: resolve every copy-on-write of the entry's amap at once (fork of a wired entry): each anon
    /// still shared gets a private copy, except pages on loan, which are already mapped read-only.
    /// </summary>
    /// <returns>false when memory ran out (with nothing reclaimable).</returns>
    internal bool AmapCowNow(EntryId entry)
    {
        ref var e = ref Entries[entry.Index];
        var amap = e.Amap;
        int waits = 0;
        UvmLocks.AmapLock(this, amap);
        for (int i = 0; i < e.NPages; i++)
        {
            ref var slot = ref AmapSlot(in e, e.Start + ((ulong)i << Param.PAGE_SHIFT));
            var anon = slot;
            if (anon.IsNull || Anons[anon.Index].Ref == 1)
                continue;
            var pg = Anons[anon.Index].Page;
            if (!pg.IsPage || Mem[pg].LoanCount != 0)
                continue;
            for (;;)
            {
                var nanon = AnonAlloc();
                var npg = nanon.IsNull ? PageId.Null : Mem.Alloc(nanon, ObjId.Null, 0, zero: false);
                if (npg.IsPage)
                {
                    Mem.Copy(pg, npg);
                    Anons[nanon.Index].Page = npg;
                    Anons[anon.Index].Ref--;
                    slot = nanon;
                    Mem[npg].Flags &= ~(PageFlags.Busy | PageFlags.Fake);
                    Mem.Activate(npg);
                    break;
                }
                if (!nanon.IsNull)
                    Anons.Release(nanon.Index);
                UvmLocks.AmapUnlock(this, amap);
                if (!Reclaimable() || ++waits > MaxWaitsPerFault)
                    return false;
                UvmWait();
                UvmLocks.AmapLock(this, amap);
                slot = ref AmapSlot(in Entries[entry.Index], e.Start + ((ulong)i << Param.PAGE_SHIFT));
            }
        }
        UvmLocks.AmapUnlock(this, amap);
        return true;
    }
}
