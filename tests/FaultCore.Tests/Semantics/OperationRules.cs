using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": mmap, fork, amap_copy, mprotect, madvise, mlock/munlock, munmap, loans, pageout, pagedaemon.</summary>
public partial class OperationRules
{
    // ---------------------------------------------------------------- mmap

    [Fact]
    public void Mmap_private_anon_is_copy_on_write_and_needs_copy_with_no_amap_and_no_object()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        var e = m.EntryAt(p, 0x10000);
        Assert.Equal(EntryType.CopyOnWrite | EntryType.NeedsCopy, e.Etype);
        Assert.True(e.Amap.IsNull);
        Assert.True(e.Object.IsNull);
        Assert.Equal(0x10000UL, e.Start);
        Assert.Equal(0x14000UL, e.End);
        Assert.Equal(0, m.Amaps.InUse);
        // the first fault's amap copy creates the amap
        m.Access(p, 0x10000, FaultCase.Lower2B, restarts: 1, write: 1);
        Assert.False(m.EntryAt(p, 0x10000).Amap.IsNull);
        Assert.Equal(EntryType.CopyOnWrite, m.EntryAt(p, 0x10000).Etype);
        Assert.Equal(1, m.Counters.fltamcopy);
        m.NoViolations();
    }

    [Fact]
    public void Mmap_shared_anon_allocates_its_amap_at_map_time_and_is_not_copy_on_write()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonShared));
        var e = m.EntryAt(p, 0x10000);
        Assert.Equal(EntryType.None, e.Etype);
        Assert.False(e.Amap.IsNull);
        Assert.True(e.Object.IsNull);
        Assert.Equal(1, m.Amaps[e.Amap.Index].Ref);
        Assert.Equal(4, m.Amaps[e.Amap.Index].NSlot);
        Assert.Equal(0, m.Amaps[e.Amap.Index].NUsed);
        m.Access(p, 0x10000, FaultCase.Lower2B, restarts: 0, prot: Prot.ReadWrite, write: 1);
        Assert.Equal(0, m.Counters.fltamcopy);
        Assert.Equal(e.Amap, m.EntryAt(p, 0x10000).Amap);
        m.NoViolations();
    }

    [Fact]
    public void Mmap_private_file_has_object_and_offset_and_is_copy_on_write_needs_copy()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(8, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FilePrivate, f, pgoff: 2));
        var e = m.EntryAt(p, 0x100000);
        Assert.Equal(EntryType.CopyOnWrite | EntryType.NeedsCopy, e.Etype);
        Assert.Equal(new ObjId(f.Value), e.Object);
        Assert.Equal(2UL * S.PG, e.Offset);
        Assert.True(e.Amap.IsNull);
        Assert.Equal(1, m.Obj(f).Refs);
        m.Access(p, 0x100000, FaultCase.Lower2A, restarts: 0, prot: Prot.Read, value: 2); // file page 2
        Assert.True(m.EntryAt(p, 0x100000).IsNeedsCopy); // a read does not copy
        m.NoViolations();
    }

    [Fact]
    public void Mmap_shared_file_has_object_and_offset_and_is_not_copy_on_write()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(8, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FileShared, f, pgoff: 3));
        var e = m.EntryAt(p, 0x100000);
        Assert.Equal(EntryType.None, e.Etype);
        Assert.Equal(new ObjId(f.Value), e.Object);
        Assert.Equal(3UL * S.PG, e.Offset);
        Assert.True(e.Amap.IsNull);
        m.Access(p, 0x101000, FaultCase.Lower2A, value: 4);
        m.Access(p, 0x101000, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 0x44);
        Assert.Equal(0x44, m.Mem.Frame(m.Obj(f).Resident[4])[0]); // the object's own page
        Assert.True(m.EntryAt(p, 0x101000).Amap.IsNull);
        m.NoViolations();
    }

    [Theory]
    [InlineData(MapKind.AnonPrivate)]
    [InlineData(MapKind.AnonShared)]
    [InlineData(MapKind.FilePrivate)]
    [InlineData(MapKind.FileShared)]
    public void Mmap_max_protection_is_read_write_for_every_kind(MapKind kind)
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: false);
        var p = m.CreateProcess();
        foreach (var (prot, at) in new[] { (Prot.None, 0x10000UL), (Prot.Read, 0x20000UL), (Prot.ReadWrite, 0x30000UL) })
        {
            T.Ok(m.Mmap(p, at, 4, prot, kind, f));
            Assert.Equal(Prot.ReadWrite, m.EntryAt(p, at).MaxProtection);
            Assert.Equal(prot, m.EntryAt(p, at).Protection);
            T.Ok(m.Mprotect(p, at, 4, Prot.ReadWrite)); // within max_protection
        }
        m.NoViolations();
    }

    [Fact]
    public void Mmap_wired_is_mmap_then_mlock_of_the_whole_range()
    {
        var a = T.NewMachine();
        var pa = a.CreateProcess();
        T.Ok(a.Mmap(pa, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        var b = T.NewMachine();
        var pb = b.CreateProcess();
        T.Ok(b.Mmap(pb, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(b.Mlock(pb, 0x10000, 4));
        Assert.Equal(a.Fingerprint(), b.Fingerprint());
        Assert.Equal(4, a.CountWired(pa, 0x10000, 4));
        Assert.Equal(1, a.EntryAt(pa, 0x10000).WiredCount);
        Assert.Equal(b.Counters, a.Counters);
        a.NoViolations();
        b.NoViolations();
    }

    [Fact]
    public void Mmap_overlapping_an_existing_mapping_is_EINVAL_and_nothing_changes()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x11000, FaultCase.Lower2B, write: 3);
        var fp = m.Fingerprint();
        int entries = m.Entries.InUse, amaps = m.Amaps.InUse, free = m.FreePages;
        Assert.Equal(Errno.EINVAL, m.Mmap(p, 0x13000, 2, Prot.ReadWrite, MapKind.AnonShared));
        Assert.Equal(Errno.EINVAL, m.Mmap(p, 0xf000, 2, Prot.Read, MapKind.FileShared, f));
        Assert.Equal(Errno.EINVAL, m.Mmap(p, 0x10000, 4, Prot.Read, MapKind.FilePrivate, f));
        Assert.Equal(Errno.EINVAL, m.Mmap(p, 0x8000, 16, Prot.Read, MapKind.AnonPrivate, wired: true));
        Assert.Equal(fp, m.Fingerprint());
        Assert.Equal(entries, m.Entries.InUse);
        Assert.Equal(amaps, m.Amaps.InUse);
        Assert.Equal(free, m.FreePages);
        Assert.Equal(1, m.Entries(p));
        Assert.Equal(0, m.Obj(f).Refs);
        m.NoViolations();
    }

    // ---------------------------------------------------------------- fork: copy inheritance

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

public partial class OperationRules
{
    // ---------------------------------------------------------------- fork: share inheritance

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

    // ---------------------------------------------------------------- amap_copy

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

    // ---------------------------------------------------------------- mprotect, madvise

    [Fact]
    public void Mprotect_beyond_max_protection_is_EACCES_and_changes_nothing()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.Read, MapKind.AnonShared));
        T.Ok(m.Mmap(p, 0x14000, 4, Prot.Read, MapKind.AnonPrivate)); // not compatible: not merged
        // every mmap gives max_protection rw; lower it as mmap(PROT_READ) of a read-only file would
        m.Entries[m.EntryIdAt(p, 0x14000).Index].MaxProtection = Prot.Read;
        var fp = m.Fingerprint();
        Assert.Equal(Errno.EACCES, m.Mprotect(p, 0x12000, 4, Prot.ReadWrite));
        Assert.Equal(Prot.Read, m.EntryAt(p, 0x10000).Protection);
        Assert.Equal(2, m.Entries(p)); // not even clipped
        Assert.Equal(fp, m.Fingerprint());
        T.Ok(m.Mprotect(p, 0x12000, 4, Prot.Read));
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.ReadWrite));
        m.NoViolations();
    }

    [Fact]
    public void Mprotect_reduces_existing_mappings_to_the_new_protection()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x10000, FaultCase.Lower2B, prot: Prot.ReadWrite, write: 1);
        m.Access(p, 0x100000, FaultCase.Lower2A, write: 1);
        m.Access(p, 0x101000, FaultCase.Hit, prot: Prot.ReadWrite, write: 2); // neighbour entered rw: vnode dirty
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.Read));
        T.Ok(m.Mprotect(p, 0x100000, 1, Prot.Read));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x100000));
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x101000)); // outside the range
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x10000, 3).Error);
        T.Ok(m.Mprotect(p, 0x100000, 4, Prot.None));
        Assert.Equal(0, m.CountMapped(p, 0x100000, 4));
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x101000).Error);
        m.NoViolations();
    }

    [Fact]
    public void Mprotect_never_adds_rights_to_existing_mappings()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, prot: Prot.ReadWrite, write: 1);
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.Read));
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.ReadWrite));
        Assert.Equal(Prot.ReadWrite, m.EntryAt(p, 0x10000).Protection);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        m.ResetCounters();
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.ReadWrite, write: 2);
        Assert.Equal(1, m.Counters.faults);
        m.NoViolations();
    }

    [Fact]
    public void Mprotect_succeeds_over_holes_and_unmapped_ranges_acting_on_the_entries_inside()
    {
        // uvm_map_protect loops over the entries inside the range: none at all is not an error.
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.Read));
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x14000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mprotect(p, 0x12000, 2, Prot.Read)); // the hole between them
        Assert.Equal(2, m.Entries(p));
        T.Ok(m.Mprotect(p, 0x11000, 4, Prot.Read)); // covers a hole
        Assert.Equal(Prot.ReadWrite, m.EntryAt(p, 0x10000).Protection);
        Assert.Equal(Prot.Read, m.EntryAt(p, 0x11000).Protection);
        Assert.Equal(Prot.Read, m.EntryAt(p, 0x14000).Protection);
        Assert.Equal(Prot.ReadWrite, m.EntryAt(p, 0x15000).Protection);
        Assert.Equal(4, m.Entries(p));
        m.NoViolations();
    }

    [Fact]
    public void Madvise_sets_the_advice_of_the_range_clipping_entries_and_succeeds_when_nothing_is_mapped()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Advice.Normal, m.EntryAt(p, 0x10000).Advice);
        T.Ok(m.Madvise(p, 0x12000, 2, Advice.Random));
        T.Ok(m.Madvise(p, 0x16000, 4, Advice.Sequential)); // runs past the end: holes ignored
        Assert.Equal(Advice.Normal, m.EntryAt(p, 0x11000).Advice);
        Assert.Equal(Advice.Random, m.EntryAt(p, 0x12000).Advice);
        Assert.Equal(Advice.Random, m.EntryAt(p, 0x13000).Advice);
        Assert.Equal(Advice.Normal, m.EntryAt(p, 0x14000).Advice);
        Assert.Equal(Advice.Sequential, m.EntryAt(p, 0x17000).Advice);
        Assert.Equal(4, m.Entries(p));
        T.Ok(m.Madvise(p, 0x40000, 2, Advice.Random)); // uvm_map_advice: no entry in the range, nothing to do
        Assert.Equal(4, m.Entries(p));
        m.NoViolations();
    }
}

public partial class OperationRules
{
    // ---------------------------------------------------------------- mlock / munlock (uvm_map_pageable)

    [Fact]
    public void Mlock_amap_copies_needs_copy_entries_first_and_that_copy_is_not_counted_in_fltamcopy()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FilePrivate, f)); // write in max_protection
        T.Ok(m.Mlock(p, 0x10000, 4));
        T.Ok(m.Mlock(p, 0x100000, 4));
        Assert.False(m.EntryAt(p, 0x10000).IsNeedsCopy);
        Assert.False(m.EntryAt(p, 0x10000).Amap.IsNull);
        Assert.False(m.EntryAt(p, 0x100000).IsNeedsCopy);
        Assert.False(m.EntryAt(p, 0x100000).Amap.IsNull);
        Assert.Equal(0, m.Counters.fltamcopy);
        Assert.Equal(8, m.Counters.faults); // uvm_fault_wire: one call of the fault entry point per page
        m.NoViolations();
    }

    [Fact]
    public void Mlock_clips_entries_to_the_range_and_increments_their_wired_count()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mlock(p, 0x12000, 2));
        Assert.Equal(3, m.Entries(p));
        Assert.Equal(0, m.EntryAt(p, 0x11000).WiredCount);
        Assert.Equal(1, m.EntryAt(p, 0x12000).WiredCount);
        Assert.Equal(0x12000UL, m.EntryAt(p, 0x12000).Start);
        Assert.Equal(0x14000UL, m.EntryAt(p, 0x12000).End);
        Assert.Equal(0, m.EntryAt(p, 0x14000).WiredCount);
        Assert.Equal(2, m.CountWired(p, 0x10000, 8));
        Assert.Equal(2, m.CountMapped(p, 0x10000, 8)); // wiring faults are narrow
        T.Ok(m.Mlock(p, 0x12000, 2));
        Assert.Equal(2, m.EntryAt(p, 0x12000).WiredCount);
        Assert.Equal(1, m.Page(m.MappedPage(p, 0x12000)).WireCount); // wired once: only wired_count 1 faults
        T.Ok(m.Munlock(p, 0x12000, 2)); // one munlock undoes every mlock
        Assert.Equal(0, m.EntryAt(p, 0x12000).WiredCount);
        Assert.Equal(0, m.Page(m.MappedPage(p, 0x12000)).WireCount);
        m.NoViolations();
    }

    [Fact]
    public void Mlock_wires_with_cow_now_so_each_private_file_page_is_promoted()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FilePrivate, f));
        int free = m.FreePages;
        T.Ok(m.Mlock(p, 0x100000, 4));
        Assert.Equal(4, m.Counters.flt_prcopy);
        Assert.Equal(0, m.Counters.flt_obj);
        Assert.Equal(4, m.Counters.fltlget);
        Assert.Equal(0, m.Counters.fltnomap);
        Assert.Equal(free - 4, m.FreePages);
        for (ulong i = 0; i < 4; i++)
        {
            var va = 0x100000 + i * S.PG;
            var anon = m.AnonAt(p, va);
            Assert.False(anon.IsNull);
            Assert.Equal(m.Anons[anon.Index].Page, m.MappedPage(p, va));
            Assert.Equal(1, m.Page(m.MappedPage(p, va)).WireCount);
            Assert.Equal(Prot.Read, m.MappedProt(p, va)); // entered with the entry's protection
            Assert.Equal(0, m.Page(m.Obj(f).Resident[(int)i]).WireCount); // the object's pages are not wired
            Assert.Equal((byte)(i + 5), m.Peek(p, va + 5));
        }
        Assert.Equal(4, m.CountWired(p, 0x100000, 4));
        Assert.False(m.Obj(f).Dirty);
        m.NoViolations();
    }

    [Fact]
    public void Mlock_of_a_shared_file_wires_the_object_pages_with_the_entry_protection()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var g = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Mmap(p, 0x200000, 4, Prot.ReadWrite, MapKind.FileShared, g));
        T.Ok(m.Mlock(p, 0x100000, 4));
        Assert.Equal(4, m.Counters.flt_obj);
        Assert.Equal(0, m.Counters.flt_prcopy);
        Assert.Equal(m.Obj(f).Resident[2], m.MappedPage(p, 0x102000));
        Assert.Equal(1, m.Page(m.Obj(f).Resident[2]).WireCount);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x102000));
        Assert.False(m.Obj(f).Dirty); // access = protection = r: nothing written
        // rw: the wiring fault's access is rw, so it reaches the pager as a write
        T.Ok(m.Mlock(p, 0x200000, 4));
        Assert.True(m.Obj(g).Dirty);
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x202000));
        m.Access(p, 0x202000, FaultCase.Hit, write: 1);
        m.NoViolations();
    }

    [Fact]
    public void Mlock_counts_one_fault_per_wired_page_and_its_faults_are_narrow()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonShared));
        T.Ok(m.Mlock(p, 0x104000, 2));
        T.Ok(m.Mlock(p, 0x10000, 4));
        Assert.Equal(6, m.Counters.faults);
        Assert.Equal(0, m.Counters.fltnomap);
        Assert.Equal(0, m.Counters.fltnamap);
        Assert.Equal(2, m.CountMapped(p, 0x100000, 16));
        Assert.Equal(2, m.CountWired(p, 0x100000, 16));
        Assert.Equal(4, m.CountWired(p, 0x10000, 4));
        Assert.Equal(4, m.Counters.flt_przero);
        m.NoViolations();
    }

    [Fact]
    public void Mlock_with_unmapped_start_is_ENOMEM_and_with_a_hole_is_EINVAL_leaving_nothing_wired()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x13000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x20000, 2, Prot.None, MapKind.AnonPrivate));
        Assert.Equal(Errno.ENOMEM, m.Mlock(p, 0xf000, 2));
        Assert.Equal(Errno.EINVAL, m.Mlock(p, 0x10000, 5));
        Assert.Equal(Errno.EINVAL, m.Mlock(p, 0x20000, 2)); // VM_PROT_NONE counts as a hole
        for (var e = m.P(p).First; !e.IsNull; e = m.Entries[e.Index].Next)
            Assert.Equal(0, m.Entries[e.Index].WiredCount);
        Assert.Equal(0, m.CountWired(p, 0x10000, 0x20));
        Assert.Equal(0, m.CountMapped(p, 0x10000, 0x20));
        Assert.Equal(0, m.Counters.faults);
        m.NoViolations();
    }

    [Fact]
    public void Munlock_unwires_pages_and_mappings_but_leaves_them_mapped()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        var pages = Enumerable.Range(0, 4).Select(i => m.MappedPage(p, 0x10000 + (ulong)i * S.PG)).ToArray();
        T.Ok(m.Munlock(p, 0x10000, 4));
        Assert.Equal(0, m.CountWired(p, 0x10000, 4));
        Assert.Equal(4, m.CountMapped(p, 0x10000, 4));
        foreach (var pg in pages)
        {
            Assert.Equal(0, m.Page(pg).WireCount);
            Assert.Equal(PageQueue.Active, m.Page(pg).Queue);
        }
        Assert.Equal(0, m.EntryAt(p, 0x10000).WiredCount);
        Assert.Equal(Errno.EINVAL, m.Munlock(p, 0x10000, 4)); // not wired any more
        Assert.Equal(4, m.PageDaemon(4)); // pageable again
        m.NoViolations();
    }

    // ---------------------------------------------------------------- munmap

    [Fact]
    public void Munmap_frees_anon_pages_when_the_last_amap_reference_goes()
    {
        var m = T.NewMachine(pages: 64);
        var p = m.CreateProcess();
        int free0 = m.FreePages;
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 4; i++)
            m.Write(p, 0x10000 + i * S.PG, 1);
        T.Ok(m.Fork(p, out var c));
        var amap = m.EntryAt(p, 0x10000).Amap;
        T.Ok(m.Munmap(p, 0x10000, 4));
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x10000).Error);
        Assert.Equal(free0 - 4, m.FreePages); // the child still references the amap
        Assert.Equal(1, m.Amaps[amap.Index].Ref);
        Assert.Equal(1, m.Peek(c, 0x13000));
        T.Ok(m.Munmap(c, 0x10000, 4));
        Assert.Equal(free0, m.FreePages);
        Assert.Equal(0, m.Amaps.InUse);
        Assert.Equal(0, m.Anons.InUse);
        m.NoViolations();
    }

    [Fact]
    public void Munmap_clips_removes_mappings_unwires_and_drops_references()
    {
        var m = T.NewMachine(pages: 64, swap: 16);
        var f = m.CreateFile(8, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 8, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        T.Ok(m.Mmap(p, 0x20000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x20000, 5);
        T.Ok(m.Pageout(p, 0x20000, 1));
        Assert.Equal(15, m.Swap.FreeSlots);
        m.Access(p, 0x104000, FaultCase.Lower2A, neighbors: 6);
        Assert.Equal(7, m.CountMapped(p, 0x100000, 8));
        int free = m.FreePages;
        T.Ok(m.Munmap(p, 0x102000, 2)); // the middle of the file mapping
        Assert.Equal(4, m.Entries(p)); // two file pieces and the two anon entries
        Assert.Equal(2, m.Obj(f).Refs);
        Assert.Equal(0, m.CountMapped(p, 0x102000, 2));
        Assert.Equal(5, m.CountMapped(p, 0x100000, 8));
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x103000).Error);
        Assert.Equal(free, m.FreePages); // object pages stay with the file
        T.Ok(m.Munmap(p, 0x10000, 4)); // wired: unwired, then freed
        Assert.Equal(free + 4, m.FreePages);
        T.Ok(m.Munmap(p, 0x20000, 2)); // the swap slot goes with the anon
        Assert.Equal(16, m.Swap.FreeSlots);
        m.NoViolations();
    }

    [Fact]
    public void Munmap_over_holes_and_unmapped_ranges_succeeds_and_removes_what_the_range_covers()
    {
        // sys_munmap's "make sure entire range is allocated" check is #if 0 in NetBSD.
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x13000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x14000, 2);
        var fp = m.Fingerprint();
        T.Ok(m.Munmap(p, 0x30000, 1)); // nothing there: nothing changes
        Assert.Equal(fp, m.Fingerprint());
        T.Ok(m.Munmap(p, 0xf000, 2)); // half a hole, half the first page
        Assert.Equal(0, m.CountMapped(p, 0x10000, 1));
        Assert.False(m.TryPeek(p, 0x10000, out _));
        Assert.Equal(2, m.Entries(p));
        T.Ok(m.Munmap(p, 0x11000, 3)); // the rest of the first mapping, the hole, the first page of the second
        Assert.Equal(1, m.Entries(p));
        Assert.False(m.TryPeek(p, 0x13000, out _));
        Assert.Equal(2, m.Peek(p, 0x14000));
        m.NoViolations();
    }
}

public partial class OperationRules
{
    // ---------------------------------------------------------------- loan / unloan

    [Fact]
    public void Loan_never_faults_and_adds_no_mapping_to_the_lenders_pmap()
    {
        // uvm_loan looks each page up in its map entry (uvm_loanentry); it never calls the fault handler.
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 3, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x12000, FaultCase.Lower2B, write: 0x33);
        m.ResetCounters();
        T.Ok(m.Loan(p, 0x10000, 3));
        Assert.Equal(0, m.Counters.faults);
        Assert.Equal(0, m.Counters.flt_przero);
        Assert.Equal(1, m.CountMapped(p, 0x10000, 3)); // only the page the write mapped
        Assert.Equal(3, m.Loans.Count);
        var zero = m.Loans[0].Page;
        Assert.Equal(zero, m.Loans[1].Page); // both untouched pages lend uvm_loanzero_object's single page
        Assert.Equal(2, m.Page(zero).LoanCount);
        Assert.False(m.Page(zero).HasOwner);
        var written = m.MappedPage(p, 0x12000);
        Assert.Equal(written, m.Loans[2].Page);
        Assert.Equal(1, m.Page(written).LoanCount);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x12000));
        Assert.Equal(0x33, m.Peek(p, 0x12000));
        Assert.Equal(0, m.Peek(p, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Loan_makes_every_mapping_of_the_page_read_only()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonShared));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 1);
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FaultCase.Upper1A, prot: Prot.ReadWrite);
        T.Ok(m.Loan(p, 0x10000, 1));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        Assert.Equal(Prot.Read, m.MappedProt(c, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Loan_of_a_wired_page_is_EINVAL_and_of_an_unmapped_one_ENOENT_and_lends_nothing()
    {
        // uvm_loananon refuses a wired page (-1: uvm_loan's EINVAL); uvmfault_lookup failing is ENOENT; either
        // way uvm_loan ends the loans it made before failing.
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        T.Ok(m.Mmap(p, 0x11000, 1, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        Assert.Equal(Errno.EINVAL, m.Loan(p, 0x10000, 2));
        Assert.Empty(m.Loans);
        Assert.Equal(0, m.Page(m.MappedPage(p, 0x10000)).LoanCount);
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x11000));
        Assert.Equal(Errno.ENOENT, m.Loan(p, 0x40000, 1));
        T.Ok(m.Mmap(p, 0x20000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Errno.ENOENT, m.Loan(p, 0x20000, 2)); // the second page is unmapped
        Assert.Empty(m.Loans);
        Assert.Equal(0, m.Page(m.LoanZeroPage).LoanCount); // the zero page lent for the first went back
        Assert.Equal(0, m.Page(m.MappedPage(p, 0x10000)).LoanCount);
        m.NoViolations();
    }

    [Fact]
    public void Unloan_ends_the_loans_of_the_range_and_is_EINVAL_if_a_page_of_it_has_none()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x11000, 2);
        T.Ok(m.Loan(p, 0x10000, 1));
        Assert.Equal(Errno.EINVAL, m.Unloan(p, 0x10000, 2));
        Assert.Single(m.Loans); // all or nothing
        Assert.Equal(Errno.EINVAL, m.Unloan(p, 0x11000, 1));
        var pg = m.MappedPage(p, 0x10000);
        T.Ok(m.Unloan(p, 0x10000, 1));
        Assert.Empty(m.Loans);
        Assert.Equal(0, m.Page(pg).LoanCount);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000)); // unloan adds no rights back
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.ReadWrite, write: 3);
        Assert.Equal(pg, m.MappedPage(p, 0x10000)); // same page: no copy needed any more
        m.NoViolations();
    }

    [Fact]
    public void Read_fault_on_a_loaned_anon_page_caps_the_mapping_at_read_only_and_neighbours_skip_it()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(p, 0x10000, 0x10);
        m.Write(p, 0x11000, 0x11);
        T.Ok(m.Fork(p, out var c));
        T.Ok(m.Loan(p, 0x10000, 1));
        // the lent page is not entered as a neighbour
        m.Access(c, 0x11000, FaultCase.Upper1A, neighbors: 0, prot: Prot.ReadWrite, value: 0x11);
        Assert.Equal(0, m.CountMapped(c, 0x10000, 1));
        // an_ref is 1 (1A would enter rw) but uvm_fault_upper_loan caps a read at r
        Assert.Equal(1, m.Anons[m.AnonAt(c, 0x10000).Index].Ref);
        m.Access(c, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.Read, value: 0x10);
        Assert.Equal(1, m.Page(m.MappedPage(c, 0x10000)).LoanCount);
        m.NoViolations();
    }

    [Fact]
    public void Write_to_a_loaned_anon_with_an_ref_1_breaks_the_loan_process_gets_a_copy_kernel_keeps_the_old_page()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x41);
        T.Ok(m.Loan(p, 0x10000, 1));
        var old = m.MappedPage(p, 0x10000);
        var anon = m.AnonAt(p, 0x10000);
        int free = m.FreePages;
        m.ResetCounters();
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.ReadWrite, write: 0x42);
        var now = m.MappedPage(p, 0x10000);
        Assert.NotEqual(old, now);
        Assert.Equal(anon, m.AnonAt(p, 0x10000));
        Assert.Equal(now, m.Anons[anon.Index].Page);
        Assert.Equal(0, m.Page(now).LoanCount);
        Assert.Equal(free - 1, m.FreePages);
        // the kernel's page: unchanged, lent, owned by nobody, on no paging queue
        Assert.Equal(0x41, m.Mem.Frame(old)[0]);
        Assert.Equal(1, m.Page(old).LoanCount);
        Assert.False(m.Page(old).HasOwner);
        Assert.Equal(PageQueue.None, m.Page(old).Queue);
        Assert.Equal(0, m.Page(old).PvHead);
        Assert.Equal(old, m.Loans[0].Page);
        Assert.Equal(0, m.Counters.flt_acow);
        Assert.Equal(1, m.Counters.flt_anon);
        Assert.Equal(0x42, m.Peek(p, 0x10000));
        T.Ok(m.Unloan(p, 0x10000, 1));
        Assert.Equal(free, m.FreePages); // the kernel's page is freed with its last loan
        m.NoViolations();
    }

    [Fact]
    public void Write_to_a_loaned_anon_with_an_ref_above_1_is_a_normal_copy_on_write_and_the_loan_stays()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x41);
        T.Ok(m.Fork(p, out var c));
        T.Ok(m.Loan(p, 0x10000, 1));
        var lent = m.MappedPage(p, 0x10000);
        m.Access(p, 0x10000, FaultCase.Upper1B, restarts: 1, prot: Prot.ReadWrite, write: 0x42);
        Assert.NotEqual(lent, m.MappedPage(p, 0x10000));
        Assert.Equal(1, m.Page(lent).LoanCount);
        Assert.True(m.Page(lent).HasOwner); // still the child's anon page
        Assert.Equal(m.AnonAt(c, 0x10000), m.Page(lent).Anon);
        m.Access(c, 0x10000, FaultCase.Upper1A, prot: Prot.Read, value: 0x41);
        m.NoViolations();
    }

    [Fact]
    public void Read_fault_on_a_loaned_object_page_caps_the_mapping_at_read_only()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        var q = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x100000, FaultCase.Lower2A, write: 0x50); // the vnode is dirty: no write tracking
        T.Ok(m.Loan(p, 0x100000, 1));
        T.Ok(m.Mmap(q, 0x200000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(q, 0x201000, FaultCase.Lower2A, neighbors: 1, prot: Prot.ReadWrite, value: 1);
        Assert.Equal(Prot.Read, m.MappedProt(q, 0x200000)); // lent neighbour: read-only
        T.Ok(m.Mprotect(q, 0x200000, 1, Prot.None));
        T.Ok(m.Mprotect(q, 0x200000, 1, Prot.ReadWrite));
        m.Access(q, 0x200000, FaultCase.Lower2A, restarts: 0, prot: Prot.Read, value: 0x50);
        m.NoViolations();
    }

    [Fact]
    public void Write_to_a_loaned_shared_file_page_breaks_the_loan_object_gets_a_copy_kernel_keeps_the_old_page()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        var q = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Mmap(q, 0x200000, 2, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Loan(p, 0x100000, 1));
        var old = m.Obj(f).Resident[0];
        m.Access(q, 0x200000, FaultCase.Lower2A, prot: Prot.Read);
        Assert.Equal(old, m.MappedPage(q, 0x200000));
        int free = m.FreePages;
        m.Access(p, 0x100000, FaultCase.Lower2A, restarts: 0, prot: Prot.ReadWrite, write: 0x77);
        var now = m.Obj(f).Resident[0];
        Assert.NotEqual(old, now);
        Assert.Equal(now, m.MappedPage(p, 0x100000));
        Assert.Equal(free - 1, m.FreePages);
        Assert.Equal(0, m.Mem.Frame(old)[0]); // the kernel keeps the old contents
        Assert.Equal(1, m.Page(old).LoanCount);
        Assert.False(m.Page(old).HasOwner);
        Assert.Equal(PageQueue.None, m.Page(old).Queue);
        Assert.Equal(0, m.CountMapped(q, 0x200000, 1)); // every mapping of the old page is gone
        m.Access(q, 0x200000, FaultCase.Lower2A, value: 0x77);
        Assert.Equal(0x01, m.Peek(q, 0x200001));
        T.Ok(m.Unloan(p, 0x100000, 1));
        Assert.Equal(free, m.FreePages);
        m.NoViolations();
    }

    [Fact]
    public void Mlock_of_a_loaned_anon_page_breaks_the_loan_because_wiring_faults_are_cow_now()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 0x41);
        T.Ok(m.Loan(p, 0x10000, 1));
        var old = m.MappedPage(p, 0x10000);
        T.Ok(m.Mlock(p, 0x10000, 1));
        var now = m.MappedPage(p, 0x10000);
        Assert.NotEqual(old, now);
        Assert.Equal(1, m.Page(now).WireCount);
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x10000));
        Assert.Equal(1, m.Page(old).LoanCount);
        Assert.False(m.Page(old).HasOwner);
        m.NoViolations();
    }

    // ---------------------------------------------------------------- pageout

    [Fact]
    public void Pageout_leaves_wired_and_loaned_pages_resident_and_mapped()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        T.Ok(m.Mmap(p, 0x12000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x12000, 2);
        m.Write(p, 0x13000, 3);
        T.Ok(m.Loan(p, 0x12000, 1));
        int free = m.FreePages;
        T.Ok(m.Pageout(p, 0x10000, 4));
        Assert.Equal(free + 1, m.FreePages); // only the last page went
        Assert.Equal(2, m.CountWired(p, 0x10000, 2));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x12000));
        Assert.Equal(1, m.CountResident(p, 0x12000, 2));
        Assert.Equal(0, m.CountMapped(p, 0x13000, 1));
        Assert.Equal(3, m.Peek(p, 0x13000));
        m.NoViolations();
    }

    [Fact]
    public void Pageout_of_an_anon_page_writes_it_to_swap_frees_it_and_a_read_swaps_it_back_in()
    {
        var m = T.NewMachine(pages: 32, swap: 8);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000 + 100, 0x5c);
        var anon = m.AnonAt(p, 0x10000);
        int free = m.FreePages;
        T.Ok(m.Pageout(p, 0x10000, 1));
        Assert.Equal(free + 1, m.FreePages);
        Assert.Equal(7, m.Swap.FreeSlots);
        Assert.True(m.Anons[anon.Index].Page.IsNull);
        int slot = m.Anons[anon.Index].SwSlot;
        Assert.Equal(0x5c, m.Swap.Slot(slot)[100]);
        Assert.Equal(0, m.CountMapped(p, 0x10000, 1));
        Assert.Equal(0, m.CountResident(p, 0x10000, 1));
        m.ResetCounters();
        m.Access(p, 0x10000 + 100, FaultCase.Upper1A, restarts: 0, value: 0x5c);
        Assert.Equal(1, m.Counters.pageins);
        Assert.Equal(1, m.Counters.majflt);
        Assert.Equal(0, m.Counters.minflt);
        Assert.Equal(free, m.FreePages);
        Assert.Equal(anon, m.Page(m.MappedPage(p, 0x10000)).Anon);
        m.NoViolations();
    }

    [Fact]
    public void Pageout_of_an_object_page_writes_it_back_if_dirty_then_frees_it()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x100000, FaultCase.Lower2A, write: 0x99);
        Assert.Equal(0, m.Obj(f).Disk[0]);
        int free = m.FreePages;
        T.Ok(m.Pageout(p, 0x100000, 2)); // the dirty page and the clean one
        Assert.Equal(0x99, m.Obj(f).Disk[0]);
        Assert.Equal(free + 2, m.FreePages);
        Assert.True(m.Obj(f).Resident.All(x => x.IsNull));
        Assert.Equal(0, m.CountMapped(p, 0x100000, 2));
        m.Access(p, 0x100000, FaultCase.Lower2A, value: 0x99);
        Assert.Equal(1, m.Counters.fltget);
        m.NoViolations();
    }

    [Fact]
    public void Pageout_removes_the_page_from_every_pmap_mapping_it()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(p, 0x10000, 0x31);
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FaultCase.Upper1A);
        T.Ok(m.Pageout(p, 0x10000, 1));
        Assert.Equal(0, m.CountMapped(p, 0x10000, 1));
        Assert.Equal(0, m.CountMapped(c, 0x10000, 1));
        m.Access(c, 0x10000, FaultCase.Upper1A, value: 0x31);
        m.NoViolations();
    }

    [Fact]
    public void Pageout_of_a_range_with_no_mapping_is_EINVAL()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        Assert.Equal(Errno.EINVAL, m.Pageout(p, 0x10000, 4));
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Pageout(p, 0x10000, 1)); // mapped but never touched: nothing to do
        T.Ok(m.Pageout(p, 0xe000, 4)); // partly mapped
        m.NoViolations();
    }

    // ---------------------------------------------------------------- pagedaemon

    [Fact]
    public void Page_daemon_frees_up_to_N_pages_and_reports_how_many()
    {
        var m = T.NewMachine(pages: 64, swap: 64);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 10, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 10; i++)
            m.Write(p, 0x10000 + i * S.PG, (byte)i);
        int free = m.FreePages;
        Assert.Equal(3, m.PageDaemon(3));
        Assert.Equal(free + 3, m.FreePages);
        Assert.Equal(7, m.PageDaemon(100));
        Assert.Equal(64, m.FreePages);
        Assert.Equal(0, m.PageDaemon(5));
        Assert.Equal(0, m.PageDaemon(0));
        for (ulong i = 0; i < 10; i++)
            Assert.Equal((byte)i, m.Peek(p, 0x10000 + i * S.PG));
        m.NoViolations();
    }

    [Fact]
    public void Page_daemon_never_frees_wired_or_loaned_pages_and_loses_no_data()
    {
        var m = T.NewMachine(pages: 48, swap: 64);
        var f = m.CreateFile(6, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x20000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        T.Ok(m.Mmap(p, 0x100000, 6, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Mmap(p, 0x30000, 2, Prot.ReadWrite, MapKind.AnonShared));
        for (ulong i = 0; i < 8; i++)
            m.Write(p, 0x10000 + i * S.PG + i, (byte)(0x80 + i));
        for (ulong i = 0; i < 4; i++)
            m.Write(p, 0x20000 + i * S.PG, (byte)(0x90 + i));
        for (ulong i = 0; i < 6; i++)
            m.Write(p, 0x100000 + i * S.PG + 7, (byte)(0xa0 + i));
        m.Write(p, 0x30000, 0xb0);
        m.Write(p, 0x31000, 0xb1);
        T.Ok(m.Fork(p, out var c));
        T.Ok(m.Loan(p, 0x10000, 2));
        T.Ok(m.Loan(p, 0x100000, 1));
        var wired = Enumerable.Range(0, 4).Select(i => m.MappedPage(p, 0x20000 + (ulong)i * S.PG)).ToArray();
        var lent = m.Loans.Select(l => l.Page).ToArray();
        int freed = m.PageDaemon(1000);
        Assert.True(freed > 0);
        foreach (var pg in wired)
        {
            Assert.Equal(1, m.Page(pg).WireCount);
            Assert.NotEqual(PageQueue.Free, m.Page(pg).Queue);
        }
        Assert.Equal(4, m.CountWired(p, 0x20000, 4));
        foreach (var pg in lent)
        {
            Assert.Equal(1, m.Page(pg).LoanCount);
            Assert.True(m.Page(pg).HasOwner);
        }
        Assert.Equal(2, m.CountResident(p, 0x10000, 8)); // the lent anon pages
        Assert.Equal(48 - 4 - 3, m.FreePages); // all but the wired and the lent pages (the child's copies are not wired)
        for (ulong i = 0; i < 8; i++)
        {
            Assert.Equal((byte)(0x80 + i), m.Read(p, 0x10000 + i * S.PG + i).Value);
            Assert.Equal((byte)(0x80 + i), m.Read(c, 0x10000 + i * S.PG + i).Value);
        }
        for (ulong i = 0; i < 4; i++)
            Assert.Equal((byte)(0x90 + i), m.Read(c, 0x20000 + i * S.PG).Value);
        for (ulong i = 0; i < 6; i++)
        {
            Assert.Equal((byte)(0xa0 + i), m.Read(c, 0x100000 + i * S.PG + 7).Value);
            if (i > 0)
                Assert.Equal((byte)(0xa0 + i), m.Obj(f).Disk[(int)i * 4096 + 7]); // written back
        }
        Assert.Equal(0xb1, m.Read(c, 0x31000).Value);
        m.NoViolations();
    }

    [Fact]
    public void Page_daemon_keeps_anon_pages_when_swap_is_full()
    {
        var m = T.NewMachine(pages: 16, swap: 0);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 4; i++)
            m.Write(p, 0x10000 + i * S.PG, (byte)(i + 1));
        Assert.Equal(0, m.PageDaemon(10));
        Assert.Equal(4, m.CountResident(p, 0x10000, 4));
        Assert.Equal(3, m.Peek(p, 0x12000));
        m.NoViolations();
    }
}
