using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>
/// The model's invariants, checked between operations: page ownership and queues, reference counts, pmap
/// consistency with the maps, and no leaked page, anon, amap, swap slot, pv entry or page-table page.
/// </summary>
internal sealed class InvariantChecker(Machine m)
{
    private readonly List<string> bad = [];

    private void Fail(string what)
    {
        if (bad.Count < 50)
            bad.Add(what);
    }

    public IReadOnlyList<string> Run()
    {
        var anonRefs = new int[m.Anons.HighWater];
        var amapRefs = new int[m.Amaps.HighWater];
        var objRefs = new int[m.Objects.Count];
        var pteCount = new int[m.Mem.NPages + 1];
        var wiredPtes = new int[m.Mem.NPages + 1];
        CheckMaps(amapRefs, objRefs);
        CheckAmaps(amapRefs, anonRefs);
        CheckAnons(anonRefs);
        CheckObjects(objRefs);
        CheckPmaps(pteCount, wiredPtes);
        CheckPages(pteCount, wiredPtes);
        CheckQueues();
        // every operation releases what it locked (recorded in the checked configuration)
        if (m.Locks.Depth != 0)
            Fail($"locks held between operations: {m.Locks.Describe()}");
        return bad;
    }

    private void CheckMaps(int[] amapRefs, int[] objRefs)
    {
        int entries = 0;
        foreach (var p in m.Procs)
        {
            if (p is not { Alive: true })
                continue;
            if (m.TreeProblem(p) is { } tree)
                Fail($"p{p.Id}'s entry tree: {tree}");
            ulong prevEnd = 0;
            var prev = EntryId.Null;
            for (var e = p.First; !e.IsNull; e = m.Entries[e.Index].Next)
            {
                entries++;
                ref var r = ref m.Entries[e.Index];
                string at = $"p{p.Id} entry [0x{r.Start:x},0x{r.End:x})";
                if (r.Prev != prev) Fail($"{at}: broken prev link");
                if (r.Start >= r.End || !Aligned(r.Start) || !Aligned(r.End)) Fail($"{at}: bad bounds");
                if (r.Start < prevEnd) Fail($"{at}: overlaps the entry before it");
                if ((r.Protection & ~r.MaxProtection) != 0) Fail($"{at}: protection exceeds max_protection");
                if (!r.Amap.IsNull)
                {
                    if (!m.Amaps.IsLive(r.Amap.Index)) { Fail($"{at}: references dead amap {r.Amap}"); }
                    else
                    {
                        amapRefs[r.Amap.Index]++;
                        if (r.AmapPageOff < 0 || r.AmapPageOff + r.NPages > m.Amaps[r.Amap.Index].NSlot)
                            Fail($"{at}: aref outside its amap");
                    }
                }
                if (!r.Object.IsNull)
                    objRefs[r.Object.Index]++;
                if (r.WiredCount < 0) Fail($"{at}: negative wired_count");
                if (r.IsWired && r.IsNeedsCopy && (r.MaxProtection & Prot.Write) != 0)
                    Fail($"{at}: wired but still needs-copy");
                prevEnd = r.End;
                prev = e;
            }
        }
        if (entries != m.Entries.InUse)
            Fail($"map entries leak: {m.Entries.InUse} allocated, {entries} in maps");
    }

    private void CheckAmaps(int[] amapRefs, int[] anonRefs)
    {
        for (int i = 1; i < m.Amaps.HighWater; i++)
        {
            if (!m.Amaps.IsLive(i))
                continue;
            ref var am = ref m.Amaps[i];
            if (am.Ref != amapRefs[i])
                Fail($"am{i}: am_ref {am.Ref} but {amapRefs[i]} entries reference it");
            int used = 0;
            for (int s = 0; s < am.NSlot; s++)
            {
                var anon = m.AmapSlots[am.SlotBase + s];
                if (anon.IsNull)
                    continue;
                used++;
                if (!m.Anons.IsLive(anon.Index)) Fail($"am{i} slot {s}: dead anon {anon}");
                else anonRefs[anon.Index]++;
            }
            if (used != am.NUsed)
                Fail($"am{i}: am_nused {am.NUsed} but {used} slots hold anons");
        }
    }

    private void CheckAnons(int[] anonRefs)
    {
        var slotOwner = new Dictionary<int, int>();
        for (int i = 1; i < m.Anons.HighWater; i++)
        {
            if (!m.Anons.IsLive(i))
                continue;
            ref var a = ref m.Anons[i];
            if (a.Ref != anonRefs[i])
                Fail($"an{i}: an_ref {a.Ref} but {anonRefs[i]} amap slots hold it");
            if (!a.Page.IsPage && a.SwSlot <= 0)
                Fail($"an{i}: neither resident nor on swap: data lost");
            if (a.Page.IsPage && m.Mem[a.Page].Anon.Index != i)
                Fail($"an{i}: its page {a.Page} belongs to {m.Mem[a.Page].Anon}");
            if (a.SwSlot > 0)
            {
                if (!m.Swap.IsAllocated(a.SwSlot)) Fail($"an{i}: swap slot {a.SwSlot} is not allocated");
                if (!slotOwner.TryAdd(a.SwSlot, i)) Fail($"an{i}: swap slot {a.SwSlot} also used by an{slotOwner[a.SwSlot]}");
            }
        }
        int used = m.Swap.NSlots - m.Swap.FreeSlots;
        if (used != slotOwner.Count)
            Fail($"swap leak: {used} slots allocated, {slotOwner.Count} held by anons");
    }

    private void CheckObjects(int[] objRefs)
    {
        for (int o = 1; o < m.Objects.Count; o++)
        {
            var uobj = m.Objects[o];
            if (uobj.Refs != objRefs[o])
                Fail($"uobj{o}: {uobj.Refs} references but {objRefs[o]} entries");
            for (int i = 0; i < uobj.NPages; i++)
            {
                var pg = uobj.Resident[i];
                if (!pg.IsPage)
                    continue;
                ref var p = ref m.Mem[pg];
                if (p.Object.Index != o || p.Offset != i)
                    Fail($"uobj{o} page {i}: {pg} says it is {p.Object}@{p.Offset}");
                if (!uobj.Dirty && (p.Flags & PageFlags.Clean) == 0)
                    Fail($"uobj{o} page {i}: dirty page of a clean vnode");
                if (!uobj.Dirty && m.Pmaps.IsMappedWritable(pg))
                    Fail($"uobj{o} page {i}: writable mapping of a clean vnode (no write fault was seen)");
            }
        }
    }

    private void CheckPmaps(int[] pteCount, int[] wiredPtes)
    {
        int mappings = 0;
        foreach (var p in m.Procs)
        {
            if (p is not { Alive: true })
                continue;
            foreach (var (va, pg, prot, wired) in m.Pmaps.Mappings(p.Pmap))
            {
                mappings++;
                string at = $"p{p.Id} pte 0x{va:x}";
                if (!pg.IsPage || pg.Index > m.Mem.NPages) { Fail($"{at}: maps no page"); continue; }
                pteCount[pg.Index]++;
                ref var page = ref m.Mem[pg];
                if (page.Queue == PageQueue.Free) Fail($"{at}: maps free page {pg}");
                if (!m.LookupEntry(p, va, out var ei)) { Fail($"{at}: no map entry"); continue; }
                ref var e = ref m.Entries[ei.Index];
                var behind = m.PageBehind(in e, va, out var anon);
                if (behind != pg)
                    Fail($"{at}: maps {pg} but the entry resolves to {behind}");
                if ((prot & ~e.Protection) != 0)
                    Fail($"{at}: {prot} exceeds the entry's {e.Protection}");
                // A wired mapping holds a wiring of its page while its entry is wired. In an unwired entry it can
                // only be what 1.208's unwind of a failed mlock leaves behind: uvm_fault_unwire ran while the
                // entry still counted as wired, so the page was unwired and pmap_unwire skipped.
                if (wired && e.IsWired)
                    wiredPtes[pg.Index]++;
                if ((prot & Prot.Write) == 0)
                    continue;
                if (e.IsNeedsCopy) Fail($"{at}: writable while the entry needs a copy");
                if (page.LoanCount > 0) Fail($"{at}: writable mapping of a loaned page");
                if (!anon.IsNull && m.Anons[anon.Index].Ref > 1)
                    Fail($"{at}: writable mapping of a shared anon (an_ref {m.Anons[anon.Index].Ref})");
                if (anon.IsNull && e.IsCopyOnWrite)
                    Fail($"{at}: writable mapping of an object page in a copy-on-write entry");
            }
        }
        if (mappings != m.Pmaps.Pv.InUse)
            Fail($"pv leak: {m.Pmaps.Pv.InUse} pv entries, {mappings} mappings");
        int ptps = m.Pmaps.PtpTotal - m.Pmaps.PtpFree;
        if (ptps != m.Pmaps.PtpInUse())
            Fail($"page-table page leak: {ptps} allocated, {m.Pmaps.PtpInUse()} reachable");
    }

    private void CheckPages(int[] pteCount, int[] wiredPtes)
    {
        var loans = new int[m.Mem.NPages + 1];
        foreach (var l in m.Loans)
            loans[l.Page.Index]++;
        for (int i = 1; i <= m.Mem.NPages; i++)
        {
            var pg = new PageId(i);
            ref var p = ref m.Mem[pg];
            int pvs = 0;
            for (int pv = p.PvHead; pv != 0; pv = m.Pmaps.Pv[pv].Next)
            {
                pvs++;
                ref var e = ref m.Pmaps.Pv[pv];
                if (!m.Pmaps.Extract(e.Pmap, e.Va, out var mapped, out _, out _) || mapped != pg)
                    Fail($"{pg}: stale pv entry pmap {e.Pmap} va 0x{e.Va:x}");
            }
            if (pvs != pteCount[i])
                Fail($"{pg}: {pvs} pv entries but {pteCount[i]} mappings");
            if (m.Pmaps.PvProblem(pg) is { } pvProblem)
                Fail($"{pg}: {pvProblem}");
            if (p.LoanCount != loans[i])
                Fail($"{pg}: loan_count {p.LoanCount} but {loans[i]} loans");
            if ((p.Flags & PageFlags.Busy) != 0)
                Fail($"{pg}: left busy");
            if (p.Queue == PageQueue.Free)
            {
                if (p.HasOwner || p.WireCount != 0 || p.LoanCount != 0)
                    Fail($"{pg}: free but owned, wired or lent");
                continue;
            }
            if (pg == m.LoanZeroPage)
            {
                // uvm_loanzero_object's page: zero-filled, read-only, on a paging queue, never mapped.
                if (p.HasOwner || p.WireCount != 0 || pteCount[i] != 0 || (p.Flags & PageFlags.RdOnly) == 0)
                    Fail($"{pg}: the loan zero page is owned, wired, mapped or writable");
                if (p.Queue is not (PageQueue.Active or PageQueue.Inactive))
                    Fail($"{pg}: the loan zero page is on no paging queue");
                if (m.Mem.Frame(pg).ContainsAnyExcept((byte)0))
                    Fail($"{pg}: the loan zero page is not zero");
                continue;
            }
            if (!p.HasOwner && p.LoanCount == 0)
                Fail($"{pg}: leaked (not free, no owner, not lent)");
            if (!p.Anon.IsNull && (!m.Anons.IsLive(p.Anon.Index) || m.Anons[p.Anon.Index].Page != pg))
                Fail($"{pg}: owner {p.Anon} does not hold it");
            if (!p.Object.IsNull && m.Objects[p.Object.Index].Resident[p.Offset] != pg)
                Fail($"{pg}: owner uobj{p.Object.Index} does not hold it");
            if (p.WireCount < wiredPtes[i])
                Fail($"{pg}: wire_count {p.WireCount} below its {wiredPtes[i]} wired mappings");
            bool queued = p.Queue is PageQueue.Active or PageQueue.Inactive;
            if (p.WireCount > 0 && queued)
                Fail($"{pg}: wired and on the {p.Queue} queue");
            if (p.WireCount == 0 && p.HasOwner && !queued)
                Fail($"{pg}: owned, not wired, and on no paging queue");
            if (!p.HasOwner && queued)
                Fail($"{pg}: lent with no owner but on the {p.Queue} queue");
        }
    }

    private void CheckQueues()
    {
        Span<int> walk = new int[m.Mem.NPages + 1];
        foreach (var q in new[] { PageQueue.Free, PageQueue.Active, PageQueue.Inactive })
        {
            int n = m.Mem.Walk(q, walk);
            if (n != m.Mem.QueueCount(q))
                Fail($"{q} queue: count {m.Mem.QueueCount(q)} but {n} pages linked");
            for (int k = 0; k < n; k++)
                if (m.Mem[new PageId(walk[k])].Queue != q)
                    Fail($"pg{walk[k]}: linked on {q} but says {m.Mem[new PageId(walk[k])].Queue}");
        }
    }
}
