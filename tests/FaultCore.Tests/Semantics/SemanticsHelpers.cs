using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>Looks at the model's internals for the rules that are about them (reference counts, queues, flags).</summary>
internal static class S
{
    public const ulong PG = 4096;

    public static VmProc P(this Machine m, ProcId p) => m.Proc(p)!;

    /// <summary>The page mapped at va in p's pmap (NULL when unmapped).</summary>
    public static PageId MappedPage(this Machine m, ProcId p, ulong va) =>
        m.Pmaps.Extract(m.P(p).Pmap, va & ~(PG - 1), out var pg, out _, out _) ? pg : PageId.Null;

    public static EntryId EntryIdAt(this Machine m, ProcId p, ulong va)
    {
        Assert.True(m.LookupEntry(m.P(p), va, out var e), $"no entry at 0x{va:x}");
        return e;
    }

    /// <summary>A copy of the map entry holding va.</summary>
    public static VmMapEntry EntryAt(this Machine m, ProcId p, ulong va) => m.Entries[m.EntryIdAt(p, va).Index];

    /// <summary>The anon of the amap slot behind va (NULL if none).</summary>
    public static AnonId AnonAt(this Machine m, ProcId p, ulong va)
    {
        var e = m.EntryAt(p, va);
        return e.Amap.IsNull ? AnonId.Null : m.AmapLookup(in e, va - e.Start);
    }

    /// <summary>The resident page behind va (anon's, else object's), NULL when not resident.</summary>
    public static PageId PageBehind(this Machine m, ProcId p, ulong va)
    {
        var e = m.EntryAt(p, va);
        return m.PageBehind(in e, va, out _);
    }

    public static VmPage Page(this Machine m, PageId pg) => m.Mem[pg];

    public static UvmObject Obj(this Machine m, FileId f) => m.Objects[f.Value];

    public static int Entries(this Machine m, ProcId p)
    {
        int n = 0;
        for (var e = m.P(p).First; !e.IsNull; e = m.Entries[e.Index].Next)
            n++;
        return n;
    }

    public static UvmCounters Snap(this Machine m) => m.Counters;

    public static bool IsWired(this Machine m, PageId pg) => m.Mem[pg].WireCount > 0;
}
