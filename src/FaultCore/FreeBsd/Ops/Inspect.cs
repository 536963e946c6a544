using System.Runtime.InteropServices;
using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>Looking at the machine without changing it: mapped, resident and wired counts, peeks, fingerprints.</summary>
public sealed partial class FreeBsdMachine
{
    private int CountMappedImpl(ProcId pid, ulong addr, int npages) =>
        CountPages(pid, addr, npages, static (m, p, va) => m.Pmaps.Extract(p.Pmap, va));

    private int CountWiredImpl(ProcId pid, ulong addr, int npages) =>
        CountPages(pid, addr, npages, static (m, p, va) => m.Pmaps.Extract(p.Pmap, va, out _, out _, out bool wired) && wired);

    /// <summary>mincore: the page a read would find down the entry's chain is resident.</summary>
    private int CountResidentImpl(ProcId pid, ulong addr, int npages) =>
        CountPages(pid, addr, npages, static (m, p, va) =>
            m.LookupEntry(p, va, out var e) && m.ChainPage(in m.Entries[e.Index], va, out _, out _).IsPage);

    private int CountPages(ProcId pid, ulong addr, int npages, Func<FreeBsdMachine, VmProc, ulong, bool> test)
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

    /// <summary>The byte a read would return, following the chain as the fault does, without faulting.</summary>
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
        var obj = e.Object;
        ulong offset = va - e.Start + e.Offset;
        while (!obj.IsNull)
        {
            ref var o = ref Obj(obj);
            int pindex = (int)(offset >> PAGE_SHIFT);
            var pg = VmPageLookup(obj, pindex);
            if (pg.IsPage)
            {
                value = Mem.Frame(pg)[off];
                return true;
            }
            if (o.Type != ObjType.Default || obj == e.Object)
            {
                if (offset >= o.Size)
                    return false; // KERN_PROTECTION_FAILURE
                if (o.Type == ObjType.Vnode)
                {
                    value = Vnodes[o.Vnode]!.File.Page(pindex)[off];
                    return true;
                }
                int slot = o.Type == ObjType.Swap ? SwapLookup(obj, pindex) : 0;
                if (slot != 0)
                {
                    value = Swap.Slot(slot)[off];
                    return true;
                }
            }
            offset += o.BackingObjectOffset;
            obj = o.BackingObject;
        }
        return true; // zero fill
    }

    private ulong FingerprintImpl()
    {
        ulong h = 14695981039346656037UL;
        void Mix(ulong v)
        {
            h = (h ^ v) * 0x9E3779B97F4A7C15UL;
            h ^= h >> 32;
        }
        foreach (var name in FbsdCounters.Names)
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
                Mix((ulong)r.Protection | (r.NeedsCopy ? 0x100UL : 0) | (r.CopyOnWrite ? 0x200UL : 0) | (ulong)(uint)r.WiredCount << 32);
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
