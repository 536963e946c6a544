using System.Runtime.InteropServices;
using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>Looking at the machine without changing it: mincore, peeks, invariants, fingerprints.</summary>
public sealed partial class Machine
{
    private int CountMappedImpl(ProcId pid, ulong addr, int npages) =>
        CountPages(pid, addr, npages, static (m, p, va) => m.Pmaps.Extract(p.Pmap, va));

    private int CountWiredImpl(ProcId pid, ulong addr, int npages) =>
        CountPages(pid, addr, npages, static (m, p, va) => m.Pmaps.Extract(p.Pmap, va, out _, out _, out bool wired) && wired);

    /// <summary>
    /// sys_mincore: the upper layer first (an anon with a resident page), then the lower layer (the object's
    /// page at that offset), so a swapped-out anon over a resident object page counts as resident.
    /// </summary>
    private int CountResidentImpl(ProcId pid, ulong addr, int npages) =>
        CountPages(pid, addr, npages, static (m, p, va) => m.LookupEntry(p, va, out var e) && m.Mincore(in m.Entries[e.Index], va));

    private bool Mincore(in VmMapEntry e, ulong va)
    {
        if (!e.Amap.IsNull)
        {
            // Check the upper layer first.
            var anon = AmapLookup(in e, va - e.Start);
            if (!anon.IsNull && Anons[anon.Index].Page.IsPage)
                return true;
        }
        // Check the lower layer.
        return !e.Object.IsNull && ObjectPage(in e, va).IsPage;
    }

    private int CountPages(ProcId pid, ulong addr, int npages, Func<Machine, VmProc, ulong, bool> test)
    {
        var p = LiveProc(pid);
        if (p is null || npages <= 0)
            return 0;
        ulong va = TruncPage(addr);
        int n = 0;
        for (int i = 0; i < npages && va < VM_MAXUSER_ADDRESS; i++, va += PAGE_SIZE)
            if (test(this, p, va))
                n++;
        return n;
    }

    private Prot MappedProtImpl(ProcId pid, ulong addr)
    {
        var p = LiveProc(pid);
        if (p is null || !Pmaps.Extract(p.Pmap, TruncPage(addr), out _, out var prot, out _))
            return Prot.None;
        return prot;
    }

    private bool TryPeekImpl(ProcId pid, ulong addr, out byte value)
    {
        value = 0;
        var p = LiveProc(pid);
        ulong va = TruncPage(addr);
        int off = (int)(addr & PAGE_MASK);
        if (p is null || !LookupEntry(p, va, out var ei))
            return false;
        ref var e = ref Entries[ei.Index];
        if ((e.Protection & Prot.Read) == 0)
            return false;
        if (!e.Amap.IsNull)
        {
            var anon = AmapLookup(in e, va - e.Start);
            if (!anon.IsNull)
            {
                ref var a = ref Anons[anon.Index];
                value = a.Page.IsPage ? Mem.Frame(a.Page)[off] : Swap.Slot(a.SwSlot)[off];
                return true;
            }
        }
        if (!e.Object.IsNull)
        {
            var uobj = Objects[e.Object.Index];
            ulong pgoff = (e.Offset + (va - e.Start)) >> PAGE_SHIFT;
            if (pgoff >= (ulong)uobj.NPages)
                return false; // the pager would fail: EIO
            var pg = uobj.Resident[pgoff];
            value = pg.IsPage ? Mem.Frame(pg)[off] : uobj.File.Page((int)pgoff)[off];
            return true;
        }
        return !e.Amap.IsNull || e.IsNeedsCopy; // zero fill; case 0 otherwise
    }

    private IReadOnlyList<string> CheckInvariantsImpl() => new InvariantChecker(this).Run();

    private ulong FingerprintImpl()
    {
        // A word at a time: multiply by the golden-ratio constant and fold the high half back in.
        ulong h = 14695981039346656037UL;
        void Mix(ulong v)
        {
            h = (h ^ v) * 0x9E3779B97F4A7C15UL;
            h ^= h >> 32;
        }
        foreach (var name in UvmCounters.Names)
            Mix((ulong)counters.Get(name));
        Mix((ulong)Mem.FreeCount);
        foreach (var p in Procs)
        {
            if (p is not { Alive: true })
                continue;
            Mix((ulong)p.Id);
            for (var e = p.First; !e.IsNull; e = Entries[e.Index].Next)
            {
                ref var r = ref Entries[e.Index];
                Mix(r.Start); Mix(r.End);
                Mix((ulong)r.Protection | (ulong)r.Advice << 8 | (ulong)r.Etype << 16 | (ulong)(uint)r.WiredCount << 32);
            }
            foreach (var (va, pg, prot, wired) in Pmaps.Mappings(p.Pmap))
            {
                Mix(va); Mix((ulong)prot | (wired ? 0x100UL : 0));
                foreach (ulong w in MemoryMarshal.Cast<byte, ulong>(Mem.Frame(pg)))
                    Mix(w);
            }
        }
        return h;
    }
}
