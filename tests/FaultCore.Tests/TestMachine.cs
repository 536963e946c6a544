using FaultLab.Core;

namespace FaultLab.Core.Tests;

/// <summary>Small helpers so tests read like scenarios.</summary>
internal static class T
{
    public static Machine NewMachine(int pages = 256, int swap = 8192, int ptps = 4096, FaultPath path = FaultPath.Generic) =>
        new(new MachineConfig { Pages = pages, SwapSlots = swap, PageTablePages = ptps, Path = path });

    public static void Ok(Errno e) => Assert.Equal(Errno.OK, e);

    public static AccessResult Access(this Machine m, ProcId p, ulong va, FaultCase expected, int? restarts = null,
        int? neighbors = null, Prot? prot = null, byte? value = null, byte? write = null)
    {
        var r = write is byte b ? m.Write(p, va, b) : m.Read(p, va);
        Assert.True(r.Ok, $"access at 0x{va:x} failed: {r.Error}");
        Assert.Equal(expected, r.Case);
        if (restarts is int rs) Assert.Equal(rs, r.Restarts);
        if (neighbors is int n) Assert.Equal(n, r.Neighbors);
        if (prot is Prot pr) Assert.Equal(pr, r.ProtAfter);
        if (value is byte v) Assert.Equal(v, r.Value);
        return r;
    }

    public static void NoViolations(this Machine m)
    {
        var v = m.CheckInvariants();
        Assert.True(v.Count == 0, "invariants violated:\n" + string.Join("\n", v));
    }

    public static byte Peek(this Machine m, ProcId p, ulong va)
    {
        Assert.True(m.TryPeek(p, va, out var b), $"no value at 0x{va:x}");
        return b;
    }
}
