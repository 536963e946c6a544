using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>
/// The FreeBSD family's invariants, checked between operations: reference and shadow counts, chain consistency,
/// page ownership and queues, no page, swap, object, pv entry or page-table page leak, no pmap entry with more
/// rights than its entry allows, and no write mapping of an anonymous page another object still shadows.
/// </summary>
internal sealed class FbsdInvariantChecker(FreeBsdMachine m)
{
    private readonly List<string> bad = [];

    private void Fail(string what)
    {
        if (bad.Count < 50)
            bad.Add(what);
    }

    public IReadOnlyList<string> Run()
    {
        var refs = new int[m.Objects.HighWater];
        var shadows = new int[m.Objects.HighWater];
        var pteCount = new int[m.Mem.NPages + 1];
        CheckMaps(refs, pteCount);
        CheckObjects(refs, shadows);
        CheckPages(pteCount);
        CheckSwap();
        return bad;
    }

    private void CheckMaps(int[] refs, int[] pteCount)
    {
        int entries = 0;
        int pv = 0;
        foreach (var p in m.Procs)
        {
            if (p is not { Alive: true })
                continue;
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
                if (r.WiredCount < 0) Fail($"{at}: negative wired_count");
                if (r.Object.IsNull || !m.Objects.IsLive(r.Object.Index)) { Fail($"{at}: no live object"); prevEnd = r.End; prev = e; continue; }
                refs[r.Object.Index]++;
                if (!r.CopyOnWrite && !m.Obj(r.Object).BackingObject.IsNull)
                    Fail($"{at}: not copy-on-write but its object {r.Object} shadows {m.Obj(r.Object).BackingObject}");
                for (ulong va = r.Start; va < r.End; va += PAGE_SIZE)
                {
                    if (!m.Pmaps.Extract(p.Pmap, va, out var pg, out var prot, out bool wired))
                        continue;
                    pv++;
                    pteCount[pg.Index]++;
                    CheckMapping(at, in r, va, pg, prot, wired);
                }
                prevEnd = r.End;
                prev = e;
            }
            int mapped = m.Pmaps.Mappings(p.Pmap).Count();
            int inEntries = 0;
            for (var e = p.First; !e.IsNull; e = m.Entries[e.Index].Next)
                inEntries += m.CountMapped(new ProcId(p.Id), m.Entries[e.Index].Start, m.Entries[e.Index].NPages);
            if (mapped != inEntries)
                Fail($"p{p.Id}: {mapped - inEntries} pmap mappings outside every entry");
        }
        if (entries != m.Entries.InUse)
            Fail($"map entries leak: {m.Entries.InUse} allocated, {entries} in maps");
        if (pv != m.Pmaps.Pv.InUse)
            Fail($"pv entries leak: {m.Pmaps.Pv.InUse} allocated, {pv} mappings");
        if (m.Pmaps.PtpInUse() != m.Pmaps.PtpTotal - m.Pmaps.PtpFree)
            Fail($"page-table pages leak: {m.Pmaps.PtpTotal - m.Pmaps.PtpFree} allocated, {m.Pmaps.PtpInUse()} reachable");
    }

    /// <summary>A mapping must map the page the entry's chain has at va, with no more rights than the entry allows.</summary>
    private void CheckMapping(string at, in FbsdMapEntry r, ulong va, PageId pg, Prot prot, bool wired)
    {
        string where = $"{at} va 0x{va:x}";
        var chain = m.ChainPage(in r, va, out var owner, out _);
        if (chain != pg)
            Fail($"{where}: maps {pg} but the chain has {chain}");
        var allowed = r.EnteredWithMaxProt ? r.MaxProtection : r.Protection;
        if ((prot & ~allowed) != 0)
            Fail($"{where}: mapped {prot} beyond the entry's {allowed}");
        if (wired && !r.IsWired)
            Fail($"{where}: wired mapping in an unwired entry");
        if (wired && m.Mem[pg].WireCount == 0)
            Fail($"{where}: wired mapping of an unwired page");
        if ((prot & Prot.Write) == 0)
            return;
        if (r.NeedsCopy)
            Fail($"{where}: writable mapping in a needs_copy entry");
        if (owner != r.Object)
            Fail($"{where}: writable mapping of {pg} of {owner}, not of the entry's first object {r.Object}");
        else if (m.Obj(owner).IsAnonymous)
        {
            // no write mapping of a page another object still shadows
            int pindex = m.Mem[pg].Offset;
            for (var s = m.Obj(owner).ShadowHead; !s.IsNull; s = m.Obj(s).ShadowNext)
            {
                ref var so = ref m.Obj(s);
                ulong off = (ulong)pindex << PAGE_SHIFT;
                if (off < so.BackingObjectOffset || off - so.BackingObjectOffset >= so.Size)
                    continue;
                int sp = (int)((off - so.BackingObjectOffset) >> PAGE_SHIFT);
                if (m.VmPageLookup(s, sp).IsNull && m.SwapLookup(s, sp) == 0)
                    Fail($"{where}: writable mapping of {pg}, which {s} still shadows");
            }
        }
    }

    private void CheckObjects(int[] refs, int[] shadows)
    {
        for (int i = 1; i < m.Objects.HighWater; i++)
        {
            if (!m.Objects.IsLive(i))
                continue;
            ref var o = ref m.Objects[i];
            var b = o.BackingObject;
            if (b.IsNull)
                continue;
            if (!m.Objects.IsLive(b.Index)) { Fail($"obj{i}: dead backing object {b}"); continue; }
            refs[b.Index]++;
            shadows[b.Index]++;
            if (!o.IsAnonymous) Fail($"obj{i}: a {o.Type} object with a backing object");
            // no cycle
            int steps = 0;
            for (var x = b; !x.IsNull && steps <= m.Objects.InUse; x = m.Obj(x).BackingObject)
                steps++;
            if (steps > m.Objects.InUse) Fail($"obj{i}: its chain has a cycle");
        }
        for (int i = 1; i < m.Objects.HighWater; i++)
        {
            if (!m.Objects.IsLive(i))
                continue;
            ref var o = ref m.Objects[i];
            string at = $"obj{i} ({o.Type})";
            if (o.RefCount != refs[i]) Fail($"{at}: ref_count {o.RefCount} but {refs[i]} references (entries and shadows)");
            if (o.ShadowCount != shadows[i]) Fail($"{at}: shadow_count {o.ShadowCount} but {shadows[i]} shadows");
            if (o.PagingInProgress != 0) Fail($"{at}: paging_in_progress {o.PagingInProgress} between operations");
            if (o.IsAnonymous && o.RefCount == 0) Fail($"{at}: an anonymous object nobody references (leak)");
            if ((o.Flags & ObjFlags.Dead) != 0) Fail($"{at}: dead but allocated");
            int listed = 0;
            for (var s = o.ShadowHead; !s.IsNull && listed <= shadows[i]; s = m.Obj(s).ShadowNext)
            {
                listed++;
                if (m.Obj(s).BackingObject.Index != i) Fail($"{at}: shadow list holds {s}, which is backed by {m.Obj(s).BackingObject}");
            }
            if (listed != shadows[i]) Fail($"{at}: shadow list holds {listed}, {shadows[i]} shadows");
            int resident = 0;
            for (int pg = o.MemqHead; pg != 0 && resident <= m.Mem.NPages; pg = m.MemqNext[pg])
            {
                resident++;
                ref var p = ref m.Mem[new PageId(pg)];
                if (p.Object.Index != i) Fail($"{at}: memq holds pg{pg} of {p.Object}");
                if (m.VmPageLookup(new ObjId(i), p.Offset) != new PageId(pg)) Fail($"{at}: pg{pg} at {p.Offset} is not in the hash");
                if (((ulong)p.Offset << PAGE_SHIFT) >= o.Size && o.Type == ObjType.Vnode) Fail($"{at}: pg{pg} past the file's end");
            }
            if (resident != o.ResidentPageCount) Fail($"{at}: resident_page_count {o.ResidentPageCount} but {resident} on memq");
        }
    }

    private void CheckPages(int[] pteCount)
    {
        int owned = 0;
        for (int i = 1; i <= m.Mem.NPages; i++)
        {
            var pg = new PageId(i);
            ref var p = ref m.Mem[pg];
            if (p.Queue == PageQueue.Free)
            {
                if (p.HasOwner || p.WireCount != 0 || p.PvHead != 0) Fail($"{pg}: free but owned, wired or mapped");
                continue;
            }
            if (p.Object.IsNull || !m.Objects.IsLive(p.Object.Index)) { Fail($"{pg}: in use but owned by no live object (leak)"); continue; }
            owned++;
            if ((p.Flags & PageFlags.Busy) != 0) Fail($"{pg}: busy between operations");
            if (m.Valid[i] != FreeBsdMachine.VmPageBitsAll) Fail($"{pg}: resident but not valid");
            if (p.WireCount > 0 && p.Queue != PageQueue.None) Fail($"{pg}: wired but on a paging queue");
            if (p.WireCount == 0 && p.Queue == PageQueue.None) Fail($"{pg}: neither wired nor on a paging queue");
            int pv = 0;
            for (int e = p.PvHead; e != 0 && pv <= m.Pmaps.Pv.InUse; e = m.Pmaps.Pv[e].Next)
                pv++;
            if (pv != pteCount[i]) Fail($"{pg}: {pv} pv entries but {pteCount[i]} mappings");
        }
        int free = m.Mem.QueueCount(PageQueue.Free);
        if (free != m.Mem.FreeCount || owned + free != m.Mem.NPages)
            Fail($"page leak: {m.Mem.NPages} pages, {owned} owned, {free} free");
    }

    private void CheckSwap()
    {
        int held = 0;
        for (int s = 1; s < m.SwapObject.Length; s++)
        {
            var obj = m.SwapObject[s];
            bool allocated = m.Swap.IsAllocated(s);
            if (obj.IsNull)
            {
                if (allocated) Fail($"swap slot {s}: allocated but held by no object (leak)");
                continue;
            }
            held++;
            if (!allocated) Fail($"swap slot {s}: held by {obj} but free");
            if (!m.Objects.IsLive(obj.Index) || !m.Obj(obj).IsAnonymous) Fail($"swap slot {s}: held by {obj}, not a live anonymous object");
            else if (m.SwapLookup(obj, m.SwapIndex[s]) != s) Fail($"swap slot {s}: not found at {obj} {m.SwapIndex[s]}");
        }
        if (m.Swap.NSlots - m.Swap.FreeSlots != held)
            Fail($"swap leak: {m.Swap.NSlots - m.Swap.FreeSlots} slots allocated, {held} held by objects");
    }
}
