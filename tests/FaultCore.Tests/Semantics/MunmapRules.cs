using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": munmap.</summary>
public sealed class MunmapRules
{
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
