using System.Runtime.CompilerServices;

namespace FaultLab.Core;

/// <summary>A pv entry: one mapping (pmap, va) of a page, on the page's doubly linked pv list.</summary>
internal struct PvEntry
{
    public int Pmap;
    public ulong Va;
    public int Next, Prev;
}

/// <summary>
/// The machine-dependent layer: every process's pmap is a three-level radix page table (512 entries a level,
/// 39-bit addresses) whose page-table pages come from one fixed pool shared by all pmaps. When the pool is
/// exhausted, <see cref="Enter"/> fails as a PMAP_CANFAIL pmap_enter does. Reverse mappings (pv lists) serve
/// pmap_page_protect. Empty page-table pages go back to the pool.
/// </summary>
/// <remarks>
/// A leaf entry holds the page in its high 32 bits, its pv entry's index in bits 3..31 and V/W/WIRED below: a
/// mapping is removed from its page's pv list without walking the list (a page shared by many processes would
/// otherwise cost a walk per sharer at every pmap_remove). 29 bits index every pv entry there can be: one per
/// leaf entry, at most <see cref="MachineConfig.MaxPageTablePages"/> × 512 = 2^27.
/// </remarks>
internal sealed class PmapSystem
{
    private const int Entries = 512;
    private const ulong V = 1, W = 2, WIRED = 4;
    private const int PvShift = 3;
    private const ulong PvMask = (1UL << 29) - 1;

    private readonly ulong[] tables;     // ptp t holds entries [t*512, t*512+512)
    private readonly int[] validCount;   // non-zero entries per ptp
    private readonly int[] ptpFree;      // free ptp stack
    private int ptpFreeTop;
    private readonly List<int> roots = [0]; // pmap id -> root ptp (0: destroyed)
    private readonly PhysMem mem;

    public PmapSystem(int ptpPages, PhysMem mem)
    {
        this.mem = mem;
        int n = Math.Max(ptpPages, 3);
        tables = new ulong[(n + 1) * Entries];
        validCount = new int[n + 1];
        ptpFree = new int[n];
        for (int t = n; t >= 1; t--)
            ptpFree[ptpFreeTop++] = t;
        Pv = new Pool<PvEntry>(1024);
    }

    public Pool<PvEntry> Pv { get; }

    public int PtpTotal => ptpFree.Length;
    public int PtpFree => ptpFreeTop;

    /// <summary>pmap_create; 0 when no page-table page is left for the root.</summary>
    public int Create()
    {
        int root = AllocPtp();
        if (root == 0)
            return 0;
        roots.Add(root);
        return roots.Count - 1;
    }

    /// <summary>pmap_create again in the slot of a destroyed pmap; false when no page-table page is left.</summary>
    public bool Recreate(int pmap)
    {
        if (roots[pmap] != 0)
            throw new InvalidOperationException($"pmap {pmap} is still in use");
        int root = AllocPtp();
        if (root == 0)
            return false;
        roots[pmap] = root;
        return true;
    }

    /// <summary>pmap_destroy: removes every mapping and returns the page-table pages.</summary>
    public void Destroy(int pmap)
    {
        Remove(pmap, 0, Param.VM_MAXUSER_ADDRESS);
        FreePtp(roots[pmap]);
        roots[pmap] = 0;
    }

    /// <summary>pmap_extract: the page mapped at <paramref name="va"/>, and its protection and wiring.</summary>
    public bool Extract(int pmap, ulong va, out PageId pg, out Prot prot, out bool wired)
    {
        ulong pte = Leaf(pmap, va);
        pg = new PageId((int)(pte >> 32));
        prot = (pte & V) == 0 ? Prot.None : (pte & W) != 0 ? Prot.ReadWrite : Prot.Read;
        wired = (pte & WIRED) != 0;
        return (pte & V) != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Extract(int pmap, ulong va) => (Leaf(pmap, va) & V) != 0;

    /// <summary>
    /// pmap_enter: map <paramref name="pg"/> at <paramref name="va"/> with <paramref name="prot"/>; the access
    /// that caused it (if any) sets the page's reference and modify state. Fails with ENOMEM when a page-table
    /// page or pv entry cannot be had (the caller passed PMAP_CANFAIL); a failure leaves no mapping at va
    /// unless one for another page was there before.
    /// </summary>
    public Errno Enter(int pmap, ulong va, PageId pg, Prot prot, Prot access, bool wired)
    {
        int l1 = WalkAlloc(pmap, va);
        if (l1 == 0)
            return Errno.ENOMEM;
        int idx = l1 * Entries + (int)((va >> 12) & 511);
        ulong old = tables[idx];
        int pv;
        if ((old & V) != 0 && (int)(old >> 32) == pg.Index)
        {
            // Same page: only the protection and wiring change.
            pv = PvOf(old);
        }
        else
        {
            pv = Pv.TryAlloc();
            if (pv == 0)
            {
                ReleaseEmpty(pmap, va);
                return Errno.ENOMEM;
            }
            if ((old & V) != 0)
                RemovePv(new PageId((int)(old >> 32)), PvOf(old), pmap, va);
            else
                validCount[l1]++;
            ref var e = ref Pv[pv];
            e.Pmap = pmap;
            e.Va = va;
            ref var p = ref mem[pg];
            e.Next = p.PvHead;
            e.Prev = 0;
            if (p.PvHead != 0)
                Pv[p.PvHead].Prev = pv;
            p.PvHead = pv;
        }
        tables[idx] = V | ((prot & Prot.Write) != 0 ? W : 0) | (wired ? WIRED : 0) | ((ulong)(uint)pv << PvShift) |
                      ((ulong)(uint)pg.Index << 32);
        if (access != Prot.None)
        {
            ref var p = ref mem[pg];
            p.Referenced = true;
            if ((access & Prot.Write) != 0)
                p.Flags &= ~PageFlags.Clean;
        }
        return Errno.OK;
    }

    /// <summary>pmap_remove of [sva, eva): walks only the page tables that exist.</summary>
    public void Remove(int pmap, ulong sva, ulong eva)
    {
        for (ulong va = sva; va < eva;)
        {
            int l1 = LeafTableOrSkip(pmap, ref va);
            if (l1 == 0)
                continue;
            ulong end = Math.Min(eva, NextTableBoundary(va));
            for (; va < end; va += Param.PAGE_SIZE)
            {
                int idx = l1 * Entries + (int)((va >> 12) & 511);
                ulong pte = tables[idx];
                if ((pte & V) == 0)
                    continue;
                RemovePv(new PageId((int)(pte >> 32)), PvOf(pte), pmap, va);
                tables[idx] = 0;
                if (--validCount[l1] == 0)
                {
                    ReleaseEmpty(pmap, va);
                    va = end; // the leaf table is gone: nothing more is mapped in it
                    break;
                }
            }
        }
    }

    /// <summary>pmap_protect: reduces the mappings of [sva, eva) to <paramref name="prot"/> (never adds rights).</summary>
    public void Protect(int pmap, ulong sva, ulong eva, Prot prot)
    {
        if ((prot & Prot.Read) == 0)
        {
            Remove(pmap, sva, eva);
            return;
        }
        if ((prot & Prot.Write) != 0)
            return;
        for (ulong va = sva; va < eva;)
        {
            int l1 = LeafTableOrSkip(pmap, ref va);
            if (l1 == 0)
                continue;
            ulong end = Math.Min(eva, NextTableBoundary(va));
            for (; va < end; va += Param.PAGE_SIZE)
                tables[l1 * Entries + (int)((va >> 12) & 511)] &= ~W;
        }
    }

    /// <summary>pmap_page_protect: reduces every mapping of <paramref name="pg"/> to <paramref name="prot"/>.</summary>
    public void PageProtect(PageId pg, Prot prot)
    {
        if ((prot & Prot.Read) == 0)
        {
            while (mem[pg].PvHead != 0)
            {
                ref var e = ref Pv[mem[pg].PvHead];
                Remove(e.Pmap, e.Va, e.Va + Param.PAGE_SIZE);
            }
            return;
        }
        if ((prot & Prot.Write) != 0)
            return;
        for (int pv = mem[pg].PvHead; pv != 0; pv = Pv[pv].Next)
        {
            ref var e = ref Pv[pv];
            int l1 = LeafTable(e.Pmap, e.Va);
            tables[l1 * Entries + (int)((e.Va >> 12) & 511)] &= ~W;
        }
    }

    /// <summary>Whether some pmap maps <paramref name="pg"/> writable.</summary>
    public bool IsMappedWritable(PageId pg)
    {
        for (int pv = mem[pg].PvHead; pv != 0; pv = Pv[pv].Next)
        {
            ref var e = ref Pv[pv];
            if ((Leaf(e.Pmap, e.Va) & W) != 0)
                return true;
        }
        return false;
    }

    /// <summary>pmap_unwire: the mapping at va stays, but is no longer wired.</summary>
    public void Unwire(int pmap, ulong va)
    {
        int l1 = LeafTable(pmap, va);
        if (l1 != 0)
            tables[l1 * Entries + (int)((va >> 12) & 511)] &= ~WIRED;
    }

    /// <summary>Every mapping (va, page, prot, wired) of a pmap, in address order (inspection only).</summary>
    public IEnumerable<(ulong Va, PageId Page, Prot Prot, bool Wired)> Mappings(int pmap)
    {
        int root = roots[pmap];
        if (root == 0)
            yield break;
        for (int i3 = 0; i3 < Entries; i3++)
        {
            int l2 = (int)(tables[root * Entries + i3] >> 32);
            if (l2 == 0) continue;
            for (int i2 = 0; i2 < Entries; i2++)
            {
                int l1 = (int)(tables[l2 * Entries + i2] >> 32);
                if (l1 == 0) continue;
                for (int i1 = 0; i1 < Entries; i1++)
                {
                    ulong pte = tables[l1 * Entries + i1];
                    if ((pte & V) == 0) continue;
                    ulong va = ((ulong)i3 << 30) | ((ulong)i2 << 21) | ((ulong)i1 << 12);
                    yield return (va, new PageId((int)(pte >> 32)),
                        (pte & W) != 0 ? Prot.ReadWrite : Prot.Read, (pte & WIRED) != 0);
                }
            }
        }
    }

    /// <summary>Page-table pages reachable from live pmaps (for the leak check).</summary>
    public int PtpInUse()
    {
        int n = 0;
        foreach (int root in roots)
        {
            if (root == 0) continue;
            n++;
            for (int i3 = 0; i3 < Entries; i3++)
            {
                int l2 = (int)(tables[root * Entries + i3] >> 32);
                if (l2 == 0) continue;
                n++;
                for (int i2 = 0; i2 < Entries; i2++)
                    if ((tables[l2 * Entries + i2] >> 32) != 0) n++;
            }
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Leaf(int pmap, ulong va)
    {
        int l1 = LeafTable(pmap, va);
        return l1 == 0 ? 0 : tables[l1 * Entries + (int)((va >> 12) & 511)];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int LeafTable(int pmap, ulong va)
    {
        if (va >= Param.VM_MAXUSER_ADDRESS)
            return 0;
        int root = roots[pmap];
        int l2 = (int)(tables[root * Entries + (int)((va >> 30) & 511)] >> 32);
        if (l2 == 0)
            return 0;
        return (int)(tables[l2 * Entries + (int)((va >> 21) & 511)] >> 32);
    }

    private static ulong NextTableBoundary(ulong va) => (va | ((1UL << 21) - 1)) + 1;

    private static ulong NextMiddleBoundary(ulong va) => (va | ((1UL << 30) - 1)) + 1;

    /// <summary>
    /// The leaf table of va; when there is none, 0 with va moved to the start of the next table that could exist
    /// (the next 2 MiB, or the next 1 GiB when the middle table is missing too, or the end of the address space).
    /// </summary>
    private int LeafTableOrSkip(int pmap, ref ulong va)
    {
        if (va >= Param.VM_MAXUSER_ADDRESS)
        {
            va = ulong.MaxValue;
            return 0;
        }
        int l2 = (int)(tables[roots[pmap] * Entries + (int)((va >> 30) & 511)] >> 32);
        if (l2 == 0)
        {
            va = NextMiddleBoundary(va);
            return 0;
        }
        int l1 = (int)(tables[l2 * Entries + (int)((va >> 21) & 511)] >> 32);
        if (l1 == 0)
            va = NextTableBoundary(va);
        return l1;
    }

    /// <summary>The leaf table for va, allocating missing levels; 0 when the pool is exhausted.</summary>
    private int WalkAlloc(int pmap, ulong va)
    {
        int root = roots[pmap];
        int i3 = root * Entries + (int)((va >> 30) & 511);
        int l2 = (int)(tables[i3] >> 32);
        if (l2 == 0)
        {
            if ((l2 = AllocPtp()) == 0)
                return 0;
            tables[i3] = (ulong)(uint)l2 << 32;
            validCount[root]++;
        }
        int i2 = l2 * Entries + (int)((va >> 21) & 511);
        int l1 = (int)(tables[i2] >> 32);
        if (l1 == 0)
        {
            if ((l1 = AllocPtp()) == 0)
            {
                ReleaseEmpty(pmap, va);
                return 0;
            }
            tables[i2] = (ulong)(uint)l1 << 32;
            validCount[l2]++;
        }
        return l1;
    }

    /// <summary>Returns the leaf and middle tables of va to the pool if they became empty.</summary>
    private void ReleaseEmpty(int pmap, ulong va)
    {
        int root = roots[pmap];
        int i3 = root * Entries + (int)((va >> 30) & 511);
        int l2 = (int)(tables[i3] >> 32);
        if (l2 == 0)
            return;
        int i2 = l2 * Entries + (int)((va >> 21) & 511);
        int l1 = (int)(tables[i2] >> 32);
        if (l1 != 0 && validCount[l1] == 0)
        {
            FreePtp(l1);
            tables[i2] = 0;
            validCount[l2]--;
        }
        if (validCount[l2] == 0)
        {
            FreePtp(l2);
            tables[i3] = 0;
            validCount[root]--;
        }
    }

    private int AllocPtp()
    {
        if (ptpFreeTop == 0)
            return 0;
        int t = ptpFree[--ptpFreeTop];
        // No clearing: a table goes back to the pool only once every entry of it is zero (validCount == 0 when
        // leaves are removed, and a middle or root entry is cleared when its child is freed), and the pool
        // starts zeroed.
        AssertEmpty(t);
        return t;
    }

    private void AssertEmpty(int t)
    {
        if (K.Checked && (validCount[t] != 0 || tables.AsSpan(t * Entries, Entries).ContainsAnyExcept(0UL)))
            K.Fail($"page-table page {t} came back from the pool with entries in it");
    }

    private void FreePtp(int t) => ptpFree[ptpFreeTop++] = t;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PvOf(ulong pte) => (int)((pte >> PvShift) & PvMask);

    /// <summary>Unlinks the pv entry of the mapping (pmap, va) of <paramref name="pg"/>, which the leaf entry names.</summary>
    private void RemovePv(PageId pg, int pv, int pmap, ulong va)
    {
        ref var e = ref Pv[pv];
        if (pv == 0 || e.Pmap != pmap || e.Va != va)
            throw new InvalidOperationException($"pmap: no pv entry for {pg} at pmap {pmap} va 0x{va:x}");
        ref var p = ref mem[pg];
        if (e.Prev == 0) p.PvHead = e.Next; else Pv[e.Prev].Next = e.Next;
        if (e.Next != 0) Pv[e.Next].Prev = e.Prev;
        Pv.Release(pv);
    }

    /// <summary>Why the pv list of <paramref name="pg"/> is not a well-linked list of its mappings, each named by its
    /// leaf entry; or null (for the invariant checkers).</summary>
    public string? PvProblem(PageId pg)
    {
        int prev = 0;
        for (int pv = mem[pg].PvHead; pv != 0; prev = pv, pv = Pv[pv].Next)
        {
            ref var e = ref Pv[pv];
            if (e.Prev != prev)
                return $"pv entry {pv} links back to {e.Prev}, not {prev}";
            ulong pte = Leaf(e.Pmap, e.Va);
            if ((pte & V) == 0 || (int)(pte >> 32) != pg.Index || PvOf(pte) != pv)
                return $"pv entry {pv} (pmap {e.Pmap} va 0x{e.Va:x}) is not the one its leaf entry names";
        }
        return null;
    }
}
