using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Objects and layers": amaps/anons, vnodes and their pager, clean/dirty vnodes, case 0.</summary>
public class ObjectRules
{
    [Fact]
    public void Upper_layer_amap_holds_anons_with_reference_counts_and_a_resident_page()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x11000, FaultCase.Lower2B, restarts: 1, write: 5);
        var e = m.EntryAt(p, 0x11000);
        Assert.False(e.Amap.IsNull);
        var am = m.Amaps[e.Amap.Index];
        Assert.Equal(1, am.Ref);
        Assert.Equal(4, am.NSlot);
        Assert.Equal(1, am.NUsed);
        Assert.Equal(AmapFlags.None, am.Flags);
        var anon = m.AnonAt(p, 0x11000);
        Assert.Equal(1, m.Anons[anon.Index].Ref);
        Assert.Equal(m.MappedPage(p, 0x11000), m.Anons[anon.Index].Page);
        Assert.Equal(anon, m.Page(m.Anons[anon.Index].Page).Anon);
        Assert.Equal(0, m.Anons[anon.Index].SwSlot);
        T.Ok(m.Pageout(p, 0x11000, 1));
        Assert.True(m.Anons[anon.Index].Page.IsNull);
        Assert.True(m.Anons[anon.Index].SwSlot > 0); // or a swap slot
        m.NoViolations();
    }

    [Fact]
    public void File_of_P_pages_holds_i_plus_k_mod_256_at_byte_k_of_page_i()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(3, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 3, Prot.Read, MapKind.FileShared, f));
        foreach (var (i, k) in new[] { (0, 0), (0, 255), (0, 256), (1, 0), (1, 4095), (2, 300), (2, 254) })
        {
            var r = m.Read(p, 0x100000 + (ulong)i * S.PG + (ulong)k);
            Assert.True(r.Ok);
            Assert.Equal((byte)((i + k) & 0xff), r.Value);
        }
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 4096; k++)
                Assert.Equal((byte)((i + k) & 0xff), m.Obj(f).File.Page(i)[k]);
        m.NoViolations();
    }

    [Fact]
    public void Page_in_copies_the_file_bytes_into_a_fresh_page_of_the_object()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FilePrivate, f));
        int free = m.FreePages;
        m.Access(p, 0x102000, FaultCase.Lower2A, restarts: 0, neighbors: 0, prot: Prot.Read, value: 2);
        Assert.Equal(free - 1, m.FreePages);
        var pg = m.Obj(f).Resident[2];
        Assert.True(pg.IsPage);
        Assert.Equal(pg, m.MappedPage(p, 0x102000));
        Assert.Equal(new ObjId(f.Value), m.Page(pg).Object);
        Assert.Equal(2, m.Page(pg).Offset);
        Assert.True((m.Page(pg).Flags & PageFlags.Clean) != 0);
        Assert.True(m.Mem.Frame(pg).SequenceEqual(m.Obj(f).File.Page(2)));
        Assert.Equal(1, m.Counters.fltget);
        Assert.Equal(1, m.Counters.majflt);
        m.NoViolations();
    }

    [Fact]
    public void Vnode_pager_reads_exactly_the_page_asked_for_no_readahead()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.Read, MapKind.FileShared, f));
        int free = m.FreePages;
        m.Access(p, 0x104000, FaultCase.Lower2A, neighbors: 0, value: 4);
        Assert.Equal(1, m.CountResident(p, 0x100000, 16));
        Assert.Equal(1, m.CountMapped(p, 0x100000, 16));
        Assert.Equal(free - 1, m.FreePages);
        Assert.Equal(1, m.Obj(f).Resident.Count(x => x.IsPage));
        m.NoViolations();
    }

    [Fact]
    public void Page_out_writes_a_dirty_object_page_back_to_the_file()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x101010, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 0xee);
        Assert.Equal((byte)(1 + 0x10), m.Obj(f).File.Page(1)[0x10]); // not yet on disk
        T.Ok(m.Pageout(p, 0x100000, 2));
        Assert.Equal(0xee, m.Obj(f).File.Page(1)[0x10]);
        Assert.Equal((byte)(1 + 0x11), m.Obj(f).File.Page(1)[0x11]);
        Assert.Equal(0, m.CountResident(p, 0x100000, 2));
        m.Access(p, 0x101010, FaultCase.Lower2A, value: 0xee);
        m.NoViolations();
    }

    [Fact]
    public void Resident_file_has_all_its_pages_in_memory_and_clean_before_anything_runs()
    {
        var m = T.NewMachine(pages: 64);
        var f = m.CreateFile(8, resident: true);
        Assert.Equal(56, m.FreePages);
        var uobj = m.Obj(f);
        for (int i = 0; i < 8; i++)
        {
            var pg = uobj.Resident[i];
            Assert.True(pg.IsPage);
            Assert.True((m.Page(pg).Flags & PageFlags.Clean) != 0);
            Assert.Equal(PageFlags.None, m.Page(pg).Flags & PageFlags.Busy);
            Assert.True(m.Mem.Frame(pg).SequenceEqual(uobj.File.Page(i)));
        }
        Assert.False(uobj.Dirty);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 8, Prot.Read, MapKind.FileShared, f));
        Assert.Equal(8, m.CountResident(p, 0x100000, 8));
        m.Access(p, 0x100000, FaultCase.Lower2A, value: 0);
        Assert.Equal(0, m.Counters.fltget);
        Assert.Equal(0, m.Counters.majflt);
        Assert.Equal(1, m.Counters.minflt);
        m.NoViolations();
    }

    [Fact]
    public void Clean_vnode_needs_write_faults_so_read_faults_enter_shared_file_pages_read_only()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.ReadWrite, MapKind.FileShared, f));
        Assert.True(m.Obj(f).NeedsWriteFault);
        m.Access(p, 0x104000, FaultCase.Lower2A, neighbors: 7, prot: Prot.Read, value: 4);
        for (ulong i = 1; i <= 8; i++)
            Assert.Equal(Prot.Read, m.MappedProt(p, 0x100000 + i * S.PG));
        Assert.False(m.Obj(f).Dirty);
        m.NoViolations();
    }

    [Fact]
    public void Write_fault_reaching_the_pager_marks_the_vnode_dirty_and_maps_the_page_writable()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x104000, FaultCase.Lower2A, prot: Prot.Read);
        m.Access(p, 0x104000, FaultCase.Lower2A, restarts: 0, prot: Prot.ReadWrite, write: 0x5a);
        Assert.True(m.Obj(f).Dirty);
        Assert.False(m.Obj(f).NeedsWriteFault);
        Assert.Equal(PageFlags.None, m.Page(m.Obj(f).Resident[4]).Flags & PageFlags.Clean);
        m.NoViolations();
    }

    [Fact]
    public void Dirty_vnode_no_longer_needs_write_faults_so_read_faults_enter_shared_pages_writable()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Madvise(p, 0x100000, 16, Advice.Random));
        m.Access(p, 0x100000, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 1);
        m.Access(p, 0x10c000, FaultCase.Lower2A, neighbors: 0, prot: Prot.ReadWrite, value: 12);
        m.Access(p, 0x10c000, FaultCase.Hit, write: 2);
        m.NoViolations();
    }

    [Fact]
    public void Private_file_write_does_not_reach_the_pager_so_the_vnode_stays_clean()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Access(p, 0x101000, FaultCase.Lower2B, restarts: 1, prot: Prot.ReadWrite, write: 0x99);
        Assert.False(m.Obj(f).Dirty);
        Assert.True((m.Page(m.Obj(f).Resident[1]).Flags & PageFlags.Clean) != 0);
        Assert.Equal(1, m.Obj(f).File.Page(1)[0]);
        m.NoViolations();
    }

    [Fact]
    public void Vnode_is_clean_again_once_pageout_wrote_back_all_its_dirty_pages()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Madvise(p, 0x100000, 16, Advice.Random));
        m.Access(p, 0x100000, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 0xa0);
        m.Access(p, 0x105000, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 0xa5);
        T.Ok(m.Pageout(p, 0x100000, 1));
        Assert.True(m.Obj(f).Dirty); // page 5 is still dirty
        Assert.Equal(0xa0, m.Obj(f).File.Page(0)[0]);
        T.Ok(m.Pageout(p, 0x105000, 1));
        Assert.False(m.Obj(f).Dirty);
        Assert.True(m.Obj(f).NeedsWriteFault);
        Assert.Equal(0xa5, m.Obj(f).File.Page(5)[0]);
        // write tracking again: a read fault enters the page read-only, the next write faults
        m.Access(p, 0x105000, FaultCase.Lower2A, prot: Prot.Read, value: 0xa5);
        m.Access(p, 0x105000, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 0xa6);
        Assert.True(m.Obj(f).Dirty);
        m.NoViolations();
    }

    [Fact]
    public void Case_0_entry_with_neither_amap_nor_object_faults_with_EFAULT()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        // Not reachable through the API (every anon entry gets an amap before its first fault resolves):
        // clear NEEDSCOPY so that the entry has no amap, no object and nothing to copy.
        m.Entries[m.EntryIdAt(p, 0x10000).Index].Etype &= ~EntryType.NeedsCopy;
        var r = m.Read(p, 0x10000);
        Assert.Equal(Errno.EFAULT, r.Error);
        Assert.Equal(0, r.Restarts);
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x11000, 1).Error);
        Assert.Equal(2, m.Counters.faults);
        Assert.Equal(0, m.Counters.fltamcopy);
        Assert.False(m.TryPeek(p, 0x10000, out _));
        Assert.Equal(0, m.CountMapped(p, 0x10000, 2));
        m.NoViolations();
    }

    [Fact]
    public void Vnode_is_clean_again_after_its_only_dirty_page_is_written_back_even_with_a_clean_page_mapped_writable()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Madvise(p, 0x100000, 16, Advice.Random));
        m.Access(p, 0x100000, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 0xa0);
        m.Access(p, 0x105000, FaultCase.Lower2A, prot: Prot.ReadWrite, value: 5); // clean page, entered rw (vnode dirty)
        T.Ok(m.Pageout(p, 0x100000, 1)); // the only dirty page is written back
        Assert.Equal(0xa0, m.Obj(f).File.Page(0)[0]);
        Assert.False(m.Obj(f).Dirty);
        // write tracking again: the next write must reach the pager
        m.Access(p, 0x105000, FaultCase.Lower2A, prot: Prot.ReadWrite, write: 0xa5);
        Assert.True(m.Obj(f).Dirty);
        m.NoViolations();
    }
}
