using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": mlock / munlock (uvm_map_pageable).</summary>
public sealed class MlockRules
{
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
}
