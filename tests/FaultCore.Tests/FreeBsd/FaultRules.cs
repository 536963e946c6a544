using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>SEMANTICS-FREEBSD.md, "Faults (vm_fault, seed 116-673)".</summary>
public sealed class FaultRules
{
    [Fact]
    public void A_write_to_a_needs_copy_entry_shadows_inside_the_lookup_without_a_restart_and_a_read_enters_without_write()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        FB.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FbsdCase.Soft, depth: 0, restarts: 0, prot: Prot.Read, value: 1);
        Assert.True(m.EntryAt(c, 0x10000).NeedsCopy); // a read does not shadow
        m.Access(c, 0x10000, FbsdCase.Cow, depth: 1, restarts: 0, prot: Prot.ReadWrite, write: 2);
        Assert.False(m.EntryAt(c, 0x10000).NeedsCopy);
        m.NoViolations();
    }

    [Fact]
    public void A_wired_entry_faults_with_its_whole_protection()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        FB.Ok(m.Mprotect(p, 0x10000, 2, Prot.Read));
        FB.Ok(m.Mprotect(p, 0x10000, 2, Prot.ReadWrite));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        // a read fault on the wired entry enters the page writable: fault_type = prot
        var r = m.Read(p, 0x10000);
        Assert.True(r.Outcome.IsHit);
        m.Access(p, 0x11000, FbsdCase.Soft, prot: Prot.ReadWrite, write: 5);
        Assert.Equal(2, m.CountWired(p, 0x10000, 2));
        m.NoViolations();
    }

    [Fact]
    public void A_protection_failure_or_an_offset_past_the_end_of_the_object_is_EFAULT()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(2, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.Read, MapKind.AnonPrivate));
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x10000, 1).Error);
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x90000).Error);
        FB.Ok(m.Mmap(p, 0x20000, 4, Prot.ReadWrite, MapKind.FileShared, f));
        FB.Ok(m.Mmap(p, 0x30000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        int free = m.FreePages;
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x22000).Error);
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x33000, 1).Error);
        Assert.Equal(free, m.FreePages); // the placeholder of the private object was freed
        Assert.Equal(4, m.Counter("v_vm_faults"));
        m.NoViolations();
    }

    [Fact]
    public void The_walk_goes_down_the_chain_adding_each_backing_object_offset()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x40000, 4, Prot.ReadWrite, MapKind.FilePrivate, f, pgoff: 5));
        FB.Ok(m.Munmap(p, 0x40000, 1)); // the rest of the entry starts 1 page into the private object
        Assert.Equal(4096UL, m.EntryAt(p, 0x41000).Offset);
        FB.Ok(m.Mprotect(p, 0x41000, 3, Prot.None));
        FB.Ok(m.Mprotect(p, 0x41000, 3, Prot.ReadWrite)); // drops the premapped pages
        m.Access(p, 0x42000, FbsdCase.Shadow, depth: 1, value: 7); // entry offset 2 pages + backing offset 5
        FB.Ok(m.Fork(p, out var c));
        m.Access(c, 0x43000, FbsdCase.Shadow, depth: 1, value: 8);
        m.Access(c, 0x41000, FbsdCase.Cow, depth: 2, write: 0x66); // c's shadow, the private object, the vnode's
        Assert.Equal(1, m.Counter("object_bypasses"));            // the private object held no page: bypassed
        m.Access(c, 0x42000, FbsdCase.Shadow, depth: 1, value: 7);
        m.NoViolations();
    }

    [Fact]
    public void A_placeholder_page_is_allocated_in_the_first_object_and_freed_when_the_data_is_found_deeper_and_not_copied()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        FB.Ok(m.Fork(p, out var c));
        m.Access(c, 0x11000, FbsdCase.Zfod, write: 2); // c's shadow holds page 1 only
        var shadow = m.ObjectAt(c, 0x10000);
        int free = m.FreePages;
        m.Access(c, 0x10000, FbsdCase.Shadow, depth: 1, prot: Prot.Read, value: 1);
        Assert.Equal(free, m.FreePages);
        Assert.True(m.VmPageLookup(shadow, 0).IsNull);
        Assert.Equal(1, m.Obj(shadow).ResidentPageCount);
        m.NoViolations();
    }

    [Fact]
    public void The_placeholder_needs_a_free_page_even_when_the_data_is_deeper()
    {
        var m = FB.NewMachine(pages: 32, swap: 64);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        FB.Ok(m.Fork(p, out var c));
        m.Access(c, 0x11000, FbsdCase.Zfod, write: 2);
        // fill memory below the reserve (a fresh anonymous object takes one page a fault): VM_ALLOC_NORMAL then fails
        FB.Ok(m.Mmap(p, 0x100000, 40, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong va = 0x100000; m.FreePages >= m.FreeReserved; va += 0x1000)
            m.Access(p, va, FbsdCase.Zfod, write: 3);
        Assert.True(m.FreePages < m.FreeReserved);
        m.Access(c, 0x10000, FbsdCase.Shadow, depth: 1, restarts: 1, value: 1); // VM_WAIT for the placeholder
        m.NoViolations();
    }

    [Fact]
    public void A_pager_read_is_clustered_three_behind_and_four_ahead_within_the_file_stopping_at_resident_pages()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(20, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x100000, 20, Prot.Read, MapKind.FileShared, f));
        var vnode = m.VnodeObject(f);
        m.Access(p, 0x10a000, FbsdCase.Soft, io: 8);                 // pages 7-14
        for (int i = 7; i <= 14; i++)
            Assert.True(m.VmPageLookup(vnode, i).IsPage);
        Assert.True(m.VmPageLookup(vnode, 6).IsNull);
        Assert.True(m.VmPageLookup(vnode, 15).IsNull);
        m.Access(p, 0x105000, FbsdCase.Soft, io: 5);                 // 2-6: page 7 is resident, ahead stops there
        m.Access(p, 0x101000, FbsdCase.Soft, io: 2);                 // 0-1: the file's start
        m.Access(p, 0x113000, FbsdCase.Soft, io: 4);                 // 16-19: 3 behind, the file ends
        Assert.Equal(4, m.Counter("v_vnodein"));
        Assert.Equal(19, m.Counter("v_vnodepgsin"));
        Assert.Equal(4, m.Counter("majflt"));
        m.NoViolations();
    }

    [Fact]
    public void Pages_read_besides_the_faulting_one_are_deactivated_and_not_mapped()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(8, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x100000, 8, Prot.Read, MapKind.FileShared, f));
        m.Access(p, 0x100000, FbsdCase.Soft, io: 5);
        var vnode = m.VnodeObject(f);
        Assert.Equal(PageQueue.Active, m.Mem[m.VmPageLookup(vnode, 0)].Queue);
        for (int i = 1; i <= 4; i++)
            Assert.Equal(PageQueue.Inactive, m.Mem[m.VmPageLookup(vnode, i)].Queue);
        Assert.Equal(1, m.CountMapped(p, 0x100000, 8));
        m.Access(p, 0x101000, FbsdCase.Soft, io: 0); // a fault that finds it resident: minor
        Assert.Equal(1, m.Counter("minflt"));
        m.NoViolations();
    }

    [Fact]
    public void The_cluster_is_cut_to_one_page_when_free_memory_is_short()
    {
        var m = FB.NewMachine(pages: 24, swap: 64);
        var f = m.CreateFile(16, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 24, Prot.ReadWrite, MapKind.AnonPrivate));
        for (int i = 0; i < 16; i++)
            m.Access(p, 0x10000 + (ulong)i * 0x1000, FbsdCase.Zfod, write: 1);
        FB.Ok(m.Mmap(p, 0x100000, 16, Prot.Read, MapKind.FileShared, f));
        Assert.True(7 > m.FreePages - 1 - m.FreeReserved);
        m.Access(p, 0x108000, FbsdCase.Soft, io: 1);
        m.NoViolations();
    }

    [Fact]
    public void The_swap_pager_reads_one_page_and_counts_swapin_and_swappgsin()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        for (int i = 0; i < 4; i++)
            m.Access(p, 0x10000 + (ulong)i * 0x1000, FbsdCase.Zfod, write: (byte)(0x40 + i));
        FB.Ok(m.Pageout(p, 0x10000, 4));
        m.Access(p, 0x11000, FbsdCase.Soft, depth: 0, io: 1, value: 0x41);
        Assert.Equal(0, m.CountResident(p, 0x12000, 1));
        Assert.Equal(1, m.Counter("v_swapin"));
        Assert.Equal(1, m.Counter("v_swappgsin"));
        Assert.Equal(1, m.Counter("majflt"));
        m.NoViolations();
    }

    [Fact]
    public void At_the_end_of_the_chain_the_page_is_zero_filled_in_the_first_object()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        FB.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FbsdCase.Cow, write: 2);
        var first = m.ObjectAt(c, 0x10000);
        m.Access(c, 0x11000, FbsdCase.Zfod, depth: 0, prot: Prot.ReadWrite, value: 0);
        Assert.True(m.VmPageLookup(first, 1).IsPage);
        Assert.True(m.VmPageLookup(m.Obj(first).BackingObject, 1).IsNull);
        Assert.Equal(2, m.Counter("v_zfod"));
        m.NoViolations();
    }

    [Fact]
    public void A_write_copies_into_the_first_object_removes_every_mapping_of_the_old_page_then_collapses()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        FB.Ok(m.Fork(p, out var c));
        FB.Ok(m.Fork(p, out var d));
        m.Access(c, 0x10000, FbsdCase.Soft, value: 1);
        m.Access(d, 0x10000, FbsdCase.Soft, value: 1);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        m.Access(c, 0x10000, FbsdCase.Cow, depth: 1, write: 2);
        Assert.Equal(Prot.None, m.MappedProt(p, 0x10000));
        Assert.Equal(Prot.None, m.MappedProt(d, 0x10000));
        Assert.Equal(1, m.Counter("v_cow_faults"));
        FB.Ok(m.Exit(p));
        FB.Ok(m.Exit(d));
        Assert.Equal(1, m.Counter("object_collapses")); // at the last deallocate; with copies, at the copy
        m.NoViolations();
    }

    [Fact]
    public void A_read_maps_the_deeper_page_read_only()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(2, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Access(p, 0x10000, FbsdCase.Shadow, depth: 1, io: 2, prot: Prot.Read, value: 0);
        Assert.Equal(m.VnodeObject(f), m.Mem[m.VmPageLookup(m.VnodeObject(f), 0)].Object);
        m.Access(p, 0x10000, FbsdCase.Cow, depth: 1, io: 0, prot: Prot.ReadWrite, write: 9);
        m.NoViolations();
    }

    [Fact]
    public void Only_the_faulting_page_is_entered()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(8, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        FB.Ok(m.Mmap(p, 0x40000, 8, Prot.Read, MapKind.FileShared, f));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        m.Access(p, 0x13000, FbsdCase.Zfod, write: 1);
        m.Access(p, 0x40000, FbsdCase.Soft, io: 5);
        Assert.Equal(2, m.CountMapped(p, 0x10000, 8));
        Assert.Equal(1, m.CountMapped(p, 0x40000, 8));
        Assert.Equal(3, m.Counter(CommonCounter.Entered));
        m.NoViolations();
    }

    [Fact]
    public void After_a_pager_read_the_fault_looks_the_map_up_again_and_enters_with_what_it_allows()
    {
        // The re-lookup (seed 544-595) runs after every pager read, asking without write: the private mapping's
        // read of the file keeps its copy-on-write clamp, the shared writable one stays writable.
        var m = FB.NewMachine();
        var f = m.CreateFile(2, resident: false);
        var g = m.CreateFile(2, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.FilePrivate, f));
        FB.Ok(m.Mmap(p, 0x20000, 2, Prot.ReadWrite, MapKind.FileShared, g));
        m.Access(p, 0x10000, FbsdCase.Shadow, io: 2, restarts: 0, prot: Prot.Read);
        m.Access(p, 0x20000, FbsdCase.Soft, io: 2, restarts: 0, prot: Prot.ReadWrite);
        m.Access(p, 0x21000, FbsdCase.Soft, io: 0, restarts: 0, prot: Prot.ReadWrite, write: 3);
        m.NoViolations();
    }
}
