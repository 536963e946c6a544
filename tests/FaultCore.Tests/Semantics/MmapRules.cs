using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": mmap.</summary>
public sealed class MmapRules
{
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

    [Fact]
    public void Mmap_with_a_page_offset_past_the_largest_file_is_EINVAL_and_maps_nothing()
    {
        // No file can have a page there, and the byte offset of a larger one would wrap in the entry.
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        Assert.Equal(Errno.EINVAL, m.Mmap(p, 0x100000, 1, Prot.Read, MapKind.FileShared, f, pgoff: MachineConfig.MaxFilePages + 1L));
        Assert.Equal(Errno.EINVAL, m.Mmap(p, 0x100000, 1, Prot.Read, MapKind.FileShared, f, pgoff: 1L << 52));
        Assert.Equal(0, m.Entries(p));
        T.Ok(m.Mmap(p, 0x100000, 1, Prot.Read, MapKind.FileShared, f, pgoff: 8)); // past this file's end: EIO on access
        Assert.Equal(Errno.EIO, m.Read(p, 0x100000).Error);
        m.NoViolations();
    }
}
