using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>Small helpers so FreeBSD tests read like scenarios.</summary>
internal static class FB
{
    public static FreeBsdMachine NewMachine(int pages = 256, int swap = 256, int ptps = 4096, FaultPath path = FaultPath.Generic) =>
        new(new MachineConfig { Pages = pages, SwapSlots = swap, PageTablePages = ptps, Path = path });

    public static void Ok(Errno e) => Assert.Equal(Errno.OK, e);

    internal static FbsdCase Case(this AccessResult r) => (FbsdCase)r.Outcome.Code;

    public static AccessResult Access(this FreeBsdMachine m, ProcId p, ulong va, FbsdCase expected, int? depth = null,
        int? io = null, int? restarts = null, Prot? prot = null, byte? value = null, byte? write = null)
    {
        var r = write is byte b ? m.Write(p, va, b) : m.Read(p, va);
        Assert.True(r.Ok, $"access at 0x{va:x} failed: {r.Error}");
        Assert.Equal(expected, r.Case());
        if (depth is int d) Assert.Equal(d, r.Detail0);
        if (io is int i) Assert.Equal(i, r.Detail1);
        if (restarts is int rs) Assert.Equal(rs, r.Restarts);
        if (prot is Prot pr) Assert.Equal(pr, r.ProtAfter);
        if (value is byte v) Assert.Equal(v, r.Value);
        return r;
    }

    public static void NoViolations(this FreeBsdMachine m)
    {
        var v = m.CheckInvariants();
        Assert.True(v.Count == 0, "invariants violated:\n" + string.Join("\n", v));
    }

    public static byte Peek(this FreeBsdMachine m, ProcId p, ulong va)
    {
        Assert.True(m.TryPeek(p, va, out var b), $"no value at 0x{va:x}");
        return b;
    }

    public static VmProc P(this FreeBsdMachine m, ProcId p) => m.Proc(p)!;

    public static ref FbsdMapEntry EntryAt(this FreeBsdMachine m, ProcId p, ulong va)
    {
        Assert.True(m.LookupEntry(m.P(p), va, out var e), $"no entry at 0x{va:x}");
        return ref m.Entries[e.Index];
    }

    /// <summary>The object of the entry at va.</summary>
    public static ObjId ObjectAt(this FreeBsdMachine m, ProcId p, ulong va) => m.EntryAt(p, va).Object;

    /// <summary>The length of the chain below the entry's object (0: its object shadows nothing).</summary>
    public static int ChainLength(this FreeBsdMachine m, ProcId p, ulong va)
    {
        int n = 0;
        for (var o = m.Obj(m.ObjectAt(p, va)).BackingObject; !o.IsNull; o = m.Obj(o).BackingObject)
            n++;
        return n;
    }

    public static ObjId VnodeObject(this FreeBsdMachine m, FileId f) => m.Vnodes[f.Value]!.Object;
}
