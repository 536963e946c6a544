using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": amap_copy.</summary>
public sealed class AmapCopyRules
{
    [Fact]
    public void Amap_copy_of_an_entry_without_amap_allocates_a_blank_amap()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x13000, FaultCase.Lower2B, restarts: 1, value: 0);
        var e = m.EntryAt(p, 0x10000);
        Assert.Equal(1, m.Amaps.InUse);
        Assert.Equal(8, m.Amaps[e.Amap.Index].NSlot);
        Assert.Equal(1, m.Amaps[e.Amap.Index].NUsed); // only the zero-filled page
        Assert.Equal(1, m.Amaps[e.Amap.Index].Ref);
        Assert.False(e.IsNeedsCopy);
        m.NoViolations();
    }

    [Fact]
    public void Amap_copy_with_am_ref_1_just_clears_needs_copy()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x41);
        T.Ok(m.Fork(p, out var c));
        T.Ok(m.Exit(c));
        var amap = m.EntryAt(p, 0x10000).Amap;
        var anon = m.AnonAt(p, 0x10000);
        Assert.Equal(1, m.Amaps[amap.Index].Ref);
        Assert.True(m.EntryAt(p, 0x10000).IsNeedsCopy);
        int amaps = m.Amaps.InUse;
        m.ResetCounters();
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 1, prot: Prot.ReadWrite, write: 0x42);
        Assert.Equal(1, m.Counters.fltamcopy);
        Assert.Equal(amap, m.EntryAt(p, 0x10000).Amap);
        Assert.Equal(anon, m.AnonAt(p, 0x10000));
        Assert.Equal(amaps, m.Amaps.InUse);
        Assert.False(m.EntryAt(p, 0x10000).IsNeedsCopy);
        m.NoViolations();
    }

    [Fact]
    public void Amap_copy_of_a_shared_reference_makes_a_new_amap_holding_the_same_anons()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x41);
        m.Access(p, 0x12000, FaultCase.Lower2B, write: 0x43);
        var amap = m.EntryAt(p, 0x10000).Amap;
        T.Ok(m.Fork(p, out var c));
        var a0 = m.AnonAt(p, 0x10000);
        var a2 = m.AnonAt(p, 0x12000);
        m.Access(c, 0x13000, FaultCase.Lower2B, restarts: 1, write: 0x44); // the amap copy, then a zero fill
        var camap = m.EntryAt(c, 0x10000).Amap;
        Assert.NotEqual(amap, camap);
        Assert.Equal(1, m.Amaps[amap.Index].Ref);
        Assert.Equal(1, m.Amaps[camap.Index].Ref);
        Assert.Equal(a0, m.AnonAt(c, 0x10000));
        Assert.Equal(a2, m.AnonAt(c, 0x12000));
        Assert.Equal(2, m.Anons[a0.Index].Ref);
        Assert.Equal(2, m.Anons[a2.Index].Ref);
        Assert.Equal(3, m.Amaps[camap.Index].NUsed);
        Assert.True(m.AnonAt(p, 0x13000).IsNull);
        m.NoViolations();
    }

    [Fact]
    public void Amaps_are_never_chunked_even_for_large_entries()
    {
        var m = T.NewMachine(pages: 64);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x1000000, 1024, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x1000000 + 500 * S.PG, FaultCase.Lower2B, restarts: 1, write: 1);
        Assert.Equal(1, m.Entries(p));
        var e = m.EntryAt(p, 0x1000000);
        Assert.Equal(1024, m.Amaps[e.Amap.Index].NSlot);
        Assert.Equal(0, e.AmapPageOff);
        m.NoViolations();
    }
}
