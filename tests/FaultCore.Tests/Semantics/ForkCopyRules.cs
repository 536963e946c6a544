using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": fork: copy inheritance.</summary>
public sealed class ForkCopyRules
{
    [Fact]
    public void Fork_child_gets_an_empty_pmap_and_no_wired_entries()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        T.Ok(m.Mmap(p, 0x20000, 4, Prot.ReadWrite, MapKind.AnonShared));
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FileShared, f));
        m.Access(p, 0x20000, FaultCase.Lower2B, write: 1);
        m.Access(p, 0x100000, FaultCase.Lower2A);
        T.Ok(m.Fork(p, out var c));
        Assert.Empty(m.Pmaps.Mappings(m.P(c).Pmap));
        for (var e = m.P(c).First; !e.IsNull; e = m.Entries[e.Index].Next)
            Assert.Equal(0, m.Entries[e.Index].WiredCount);
        Assert.Equal(3, m.Entries(c));
        Assert.Equal(4, m.CountWired(p, 0x10000, 4)); // the parent keeps its wiring
        Assert.Equal(0, m.CountWired(c, 0x10000, 4));
        m.NoViolations();
    }

    [Fact]
    public void Fork_copy_child_entry_is_cow_needs_copy_and_references_the_parents_amap()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x41);
        var amap = m.EntryAt(p, 0x10000).Amap;
        T.Ok(m.Fork(p, out var c));
        var ce = m.EntryAt(c, 0x10000);
        Assert.Equal(EntryType.CopyOnWrite | EntryType.NeedsCopy, ce.Etype);
        Assert.Equal(amap, ce.Amap);
        Assert.Equal(2, m.Amaps[amap.Index].Ref);
        Assert.Equal(AmapFlags.None, m.Amaps[amap.Index].Flags);
        Assert.Equal(1, m.Anons[m.AnonAt(p, 0x10000).Index].Ref); // anons are not referenced twice yet
        Assert.Equal(0x41, m.Peek(c, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Fork_copy_write_protects_the_parents_mappings_and_marks_the_parent_needs_copy()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x41);
        m.Access(p, 0x11000, FaultCase.Lower2B, write: 0x42);
        Assert.False(m.EntryAt(p, 0x10000).IsNeedsCopy);
        T.Ok(m.Fork(p, out var c));
        Assert.True(m.EntryAt(p, 0x10000).IsNeedsCopy);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x11000));
        Assert.Equal(2, m.CountMapped(p, 0x10000, 4));
        // the parent's next write copies its amap and the anon
        m.Access(p, 0x10000, FaultCase.Upper1B, restarts: 1, prot: Prot.ReadWrite, write: 0x51);
        Assert.Equal(0x41, m.Peek(c, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Fork_copy_of_an_entry_without_amap_or_already_needs_copy_leaves_the_parent_alone()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate)); // no amap
        T.Ok(m.Mmap(p, 0x20000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Access(p, 0x20000, FaultCase.Lower2B, write: 7);
        m.Access(p, 0x100000, FaultCase.Lower2A, prot: Prot.Read);
        T.Ok(m.Fork(p, out var c1));
        var amap = m.EntryAt(p, 0x20000).Amap;
        Assert.True(m.EntryAt(c1, 0x10000).Amap.IsNull);
        Assert.True(m.EntryAt(c1, 0x100000).Amap.IsNull);
        Assert.Equal(EntryType.CopyOnWrite | EntryType.NeedsCopy, m.EntryAt(c1, 0x100000).Etype);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x100000)); // untouched (still a read-only mapping)
        // second fork: the parent entry is already NEEDSCOPY: only am_ref grows
        T.Ok(m.Fork(p, out var c2));
        Assert.Equal(3, m.Amaps[amap.Index].Ref);
        Assert.Equal(amap, m.EntryAt(c2, 0x20000).Amap);
        Assert.Equal(7, m.Peek(c2, 0x20000));
        m.NoViolations();
    }

    [Fact]
    public void Fork_copy_of_an_AMAP_SHARED_amap_copies_the_childs_amap_at_once()
    {
        var m = T.NewMachine();
        var p1 = m.CreateProcess();
        T.Ok(m.Mmap(p1, 0x10000, 4, Prot.ReadWrite, MapKind.AnonShared));
        m.Access(p1, 0x10000, FaultCase.Lower2B, write: 0x31);
        T.Ok(m.Fork(p1, out var p2)); // share: the amap becomes AMAP_SHARED
        var shared = m.EntryAt(p2, 0x10000).Amap;
        Assert.Equal(AmapFlags.Shared, m.Amaps[shared.Index].Flags);
        m.Access(p2, 0x10000, FaultCase.Upper1A, prot: Prot.ReadWrite, value: 0x31);
        // minherit(MAP_INHERIT_COPY) is not in the API: set the inheritance directly
        m.Entries[m.EntryIdAt(p2, 0x10000).Index].Inheritance = Inherit.Copy;
        T.Ok(m.Fork(p2, out var p3));
        var ce = m.EntryAt(p3, 0x10000);
        Assert.NotEqual(shared, ce.Amap);
        Assert.False(ce.IsNeedsCopy);
        Assert.True(ce.IsCopyOnWrite);
        Assert.Equal(1, m.Amaps[ce.Amap.Index].Ref);
        Assert.Equal(2, m.Amaps[shared.Index].Ref);
        var anon = m.AnonAt(p1, 0x10000);
        Assert.Equal(anon, m.AnonAt(p3, 0x10000));
        Assert.Equal(2, m.Anons[anon.Index].Ref);
        // uvm_mapent_forkcopy: the (unwired) parent is then write-protected and marked NEEDSCOPY
        Assert.Equal(Prot.Read, m.MappedProt(p2, 0x10000));
        Assert.True(m.EntryAt(p2, 0x10000).IsNeedsCopy);
        // the child's copy-on-write: 1B without an amap copy
        m.Access(p3, 0x10000, FaultCase.Upper1B, restarts: 0, prot: Prot.ReadWrite, write: 0x33);
        Assert.Equal(0x31, m.Peek(p1, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Fork_of_wired_parent_copies_the_amap_and_every_shared_anon_at_once()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        for (ulong i = 0; i < 4; i++)
            m.Access(p, 0x10000 + i * S.PG, FaultCase.Hit, write: (byte)(0x60 + i));
        int free = m.FreePages;
        var pamap = m.EntryAt(p, 0x10000).Amap;
        T.Ok(m.Fork(p, out var c));
        var ce = m.EntryAt(c, 0x10000);
        Assert.NotEqual(pamap, ce.Amap);
        Assert.False(ce.IsNeedsCopy);
        Assert.Equal(1, m.Amaps[pamap.Index].Ref);
        Assert.Equal(free - 4, m.FreePages); // amap_cow_now copied the four pages
        for (ulong i = 0; i < 4; i++)
        {
            var va = 0x10000 + i * S.PG;
            var pa = m.AnonAt(p, va);
            var ca = m.AnonAt(c, va);
            Assert.NotEqual(pa, ca);
            Assert.Equal(1, m.Anons[pa.Index].Ref);
            Assert.Equal(1, m.Anons[ca.Index].Ref);
            Assert.Equal((byte)(0x60 + i), m.Peek(c, va));
        }
        // the parent is not write-protected and keeps faulting nothing
        Assert.False(m.EntryAt(p, 0x10000).IsNeedsCopy);
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x10000));
        m.ResetCounters();
        m.Access(p, 0x10000, FaultCase.Hit, write: 0x70);
        m.Access(c, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.ReadWrite, value: 0x60);
        Assert.Equal(0, m.Counters.flt_acow);
        m.NoViolations();
    }
}
