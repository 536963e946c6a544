using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Access and faults": pmap hits, one fault entry call per faulting access, errors.</summary>
public class AccessRules
{
    [Fact]
    public void Access_with_a_mapping_that_has_the_needed_right_is_a_hit_and_calls_no_fault()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FilePrivate, f));
        m.Access(p, 0x101000, FaultCase.Lower2A, neighbors: 3);
        var before = m.Counters;
        var r = m.Access(p, 0x102005, FaultCase.Hit, restarts: 0, neighbors: 0, prot: Prot.Read, value: 7);
        Assert.False(r.Faulted);
        m.Access(p, 0x101000, FaultCase.Hit, value: 1);
        Assert.Equal(before, m.Counters);
        m.NoViolations();
    }

    [Fact]
    public void Write_hit_marks_the_page_modified_so_that_pageout_writes_it_back()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Madvise(p, 0x100000, 16, Advice.Random));
        m.Access(p, 0x100000, FaultCase.Lower2A, write: 1); // vnode dirty
        m.Access(p, 0x105000, FaultCase.Lower2A, prot: Prot.ReadWrite, value: 5); // clean page, writable mapping
        var pg = m.MappedPage(p, 0x105000);
        Assert.NotEqual(PageFlags.None, m.Page(pg).Flags & PageFlags.Clean);
        m.Access(p, 0x105000, FaultCase.Hit, write: 0xcd);
        Assert.Equal(PageFlags.None, m.Page(pg).Flags & PageFlags.Clean);
        T.Ok(m.Pageout(p, 0x105000, 1));
        Assert.Equal(0xcd, m.Obj(f).File.Page(5)[0]);
        m.Access(p, 0x105000, FaultCase.Lower2A, value: 0xcd);
        m.NoViolations();
    }

    [Fact]
    public void Write_through_a_read_only_mapping_is_not_a_hit_it_calls_the_fault_entry_point()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 1);
        T.Ok(m.Fork(p, out _));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        m.Access(p, 0x10000, FaultCase.Hit, value: 1); // the read is a hit
        long faults = m.Counters.faults;
        m.Access(p, 0x10000, FaultCase.Upper1B, restarts: 1, prot: Prot.ReadWrite, write: 2);
        Assert.Equal(faults + 1, m.Counters.faults);
        m.NoViolations();
    }

    [Fact]
    public void Each_faulting_access_calls_the_fault_entry_point_once_however_many_passes_restart()
    {
        var m = T.NewMachine(pages: 8, swap: 64);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        var r0 = m.Access(p, 0x10000, FaultCase.Lower2B, restarts: 1, write: 0);
        Assert.Equal(1, m.Counters.faults);
        for (ulong i = 1; i < 8; i++)
            m.Write(p, 0x10000 + i * S.PG, 1);
        Assert.Equal(8, m.Counters.faults);
        m.Access(p, 0x18000, FaultCase.Lower2B, restarts: 1, write: 1); // out of memory: uvm_wait, ERESTART
        Assert.Equal(9, m.Counters.faults);
        Assert.True(r0.Ok);
        m.NoViolations();
    }

    [Fact]
    public void Successful_access_is_performed_on_the_pages_real_bytes()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonShared));
        m.Access(p, 0x10123, FaultCase.Lower2B, write: 0xab);
        var frame = m.Mem.Frame(m.MappedPage(p, 0x10000));
        Assert.Equal(0xab, frame[0x123]);
        Assert.Equal(0, frame[0x122]);
        frame[0x200] = 0x5e; // the page's own bytes are what a read returns
        m.Access(p, 0x10200, FaultCase.Hit, value: 0x5e);
        m.NoViolations();
    }

    [Fact]
    public void Access_with_no_map_entry_is_EFAULT()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        var r = m.Read(p, 0x11000);
        Assert.Equal(Errno.EFAULT, r.Error);
        Assert.Equal(FaultCase.Failed, r.Case);
        Assert.Equal(Errno.EFAULT, m.Write(p, 0xf000, 1).Error);
        Assert.Equal(2, m.Counters.faults);
        m.NoViolations();
    }

    [Fact]
    public void Access_violating_the_entry_protection_is_EFAULT()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.Read, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x11000, 1, Prot.None, MapKind.AnonShared));
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.Read, MapKind.FileShared, f));
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x10000, 1).Error);
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x11000).Error);
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x11000, 1).Error);
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x100000, 1).Error);
        Assert.Equal(0, m.Counters.fltamcopy); // refused before the needs-copy handling
        Assert.Equal(0, m.CountMapped(p, 0x10000, 2));
        Assert.Equal(4, m.Counters.faults);
        m.NoViolations();
    }

    [Fact]
    public void Access_to_an_entry_with_no_backing_is_EFAULT()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Entries[m.EntryIdAt(p, 0x10000).Index].Etype = EntryType.CopyOnWrite; // no amap, no object, no NEEDSCOPY
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x10000, 1).Error);
        m.NoViolations();
    }

    [Fact]
    public void Out_of_memory_with_nothing_reclaimable_is_ENOMEM()
    {
        var m = T.NewMachine(pages: 4, swap: 0);
        var f = m.CreateFile(2, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.Read, MapKind.FileShared, f));
        var r = m.Read(p, 0x100000); // the pager finds no free page and nothing to reclaim
        Assert.Equal(Errno.ENOMEM, r.Error);
        Assert.Equal(FaultCase.Failed, r.Case);
        Assert.Equal(1, m.Counters.fltget);
        Assert.Equal(5, m.Counters.faults); // four wiring faults of the wired mmap, then the read
        m.NoViolations();
    }

    [Fact]
    public void Pager_failure_reading_past_the_end_of_the_file_is_EIO()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        T.Ok(m.Mmap(p, 0x200000, 4, Prot.ReadWrite, MapKind.FileShared, f, pgoff: 1));
        var r = m.Read(p, 0x102000);
        Assert.Equal(Errno.EIO, r.Error);
        Assert.Equal(FaultCase.Failed, r.Case);
        Assert.Equal(1, m.Counters.fltget);
        Assert.Equal(1, m.Counters.majflt);
        Assert.Equal(Errno.EIO, m.Write(p, 0x103000, 1).Error); // a promotion needs the object page first
        var past = m.Read(p, 0x201000);
        Assert.Equal(Errno.EIO, past.Error);
        Assert.Equal(1, past.Neighbors); // the resident neighbour was entered before the pager failed
        m.Access(p, 0x200000, FaultCase.Hit, value: 1);
        Assert.Equal(0, m.Counters.flt_prcopy);
        Assert.False(m.TryPeek(p, 0x102000, out _));
        m.NoViolations();
    }

    // "The fault path allocates nothing on the GC heap" is pinned per fault case, on every path, by AllocationTests.
}
