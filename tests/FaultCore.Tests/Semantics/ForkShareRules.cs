using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": fork: share inheritance.</summary>
public sealed class ForkShareRules
{
    [Fact]
    public void Fork_share_child_references_the_same_amap_marked_AMAP_SHARED()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonShared));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x21);
        var amap = m.EntryAt(p, 0x10000).Amap;
        T.Ok(m.Fork(p, out var c));
        Assert.Equal(amap, m.EntryAt(c, 0x10000).Amap);
        Assert.Equal(2, m.Amaps[amap.Index].Ref);
        Assert.Equal(AmapFlags.Shared, m.Amaps[amap.Index].Flags);
        Assert.Equal(EntryType.None, m.EntryAt(c, 0x10000).Etype);
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x10000)); // the parent is not write-protected
        // writes are seen both ways, including pages created after the fork
        m.Access(c, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.ReadWrite, write: 0x22);
        m.Access(p, 0x10000, FaultCase.Hit, value: 0x22);
        m.Access(c, 0x12000, FaultCase.Lower2B, restarts: 0, write: 0x23);
        m.Access(p, 0x12000, FaultCase.Upper1A, value: 0x23);
        Assert.Equal(m.MappedPage(p, 0x12000), m.MappedPage(c, 0x12000));
        T.Ok(m.Exit(c));
        Assert.Equal(1, m.Amaps[amap.Index].Ref);
        Assert.Equal(AmapFlags.None, m.Amaps[amap.Index].Flags);
        m.NoViolations();
    }

    [Fact]
    public void Fork_share_of_a_file_references_the_same_object()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Fork(p, out var c));
        var ce = m.EntryAt(c, 0x100000);
        Assert.Equal(new ObjId(f.Value), ce.Object);
        Assert.True(ce.Amap.IsNull);
        Assert.Equal(2, m.Obj(f).Refs);
        m.Access(c, 0x101000, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 0x77);
        m.Access(p, 0x101000, FaultCase.Lower2A, prot: Prot.ReadWrite, value: 0x77);
        Assert.Equal(m.MappedPage(p, 0x101000), m.MappedPage(c, 0x101000));
        m.NoViolations();
    }

    [Fact]
    public void Fork_share_of_a_needs_copy_entry_amap_copies_the_parent_first()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x20000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x20000, FaultCase.Lower2B, write: 0x11);
        T.Ok(m.Fork(p, out var other)); // p's second entry: amap shared with other, NEEDSCOPY
        Assert.True(m.EntryAt(p, 0x20000).IsNeedsCopy);
        var old = m.EntryAt(p, 0x20000).Amap;
        // minherit(MAP_INHERIT_SHARE) is not in the API: set the inheritance directly
        m.Entries[m.EntryIdAt(p, 0x10000).Index].Inheritance = Inherit.Share;
        m.Entries[m.EntryIdAt(p, 0x20000).Index].Inheritance = Inherit.Share;
        T.Ok(m.Fork(p, out var c));
        // no amap: a blank one, shared
        var blank = m.EntryAt(p, 0x10000).Amap;
        Assert.False(blank.IsNull);
        Assert.False(m.EntryAt(p, 0x10000).IsNeedsCopy);
        Assert.Equal(blank, m.EntryAt(c, 0x10000).Amap);
        Assert.Equal(AmapFlags.Shared, m.Amaps[blank.Index].Flags);
        // am_ref 2: a new amap holding the same anon, shared with the child; the other process keeps the old one
        var copy = m.EntryAt(p, 0x20000).Amap;
        Assert.NotEqual(old, copy);
        Assert.Equal(copy, m.EntryAt(c, 0x20000).Amap);
        Assert.Equal(1, m.Amaps[old.Index].Ref);
        Assert.Equal(2, m.Amaps[copy.Index].Ref);
        Assert.Equal(m.AnonAt(other, 0x20000), m.AnonAt(c, 0x20000));
        Assert.Equal(2, m.Anons[m.AnonAt(p, 0x20000).Index].Ref);
        // parent and child now share: a write in the child is seen by the parent, not by the other process
        m.Access(c, 0x10000, FaultCase.Lower2B, restarts: 0, write: 0x12);
        m.Access(p, 0x10000, FaultCase.Upper1A, value: 0x12);
        m.Access(c, 0x20000, FaultCase.Upper1B, restarts: 0, write: 0x13);
        m.Access(p, 0x20000, FaultCase.Upper1A, value: 0x13);
        Assert.Equal(0x11, m.Peek(other, 0x20000));
        m.NoViolations();
    }
}
