using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>
/// The process operations around the fault path, as NetBSD's own code has them (SEMANTICS.md: mmap merging,
/// holes, loan, failed mlock, the <c>faults</c> counter, mincore). Each rule runs on the three fault paths.
/// </summary>
public sealed class NetBsdOperationRules
{
    public static TheoryData<FaultPath> Paths => [FaultPath.Generic, FaultPath.Specialized, FaultPath.Monomorphized];

    // ---------------------------------------------------------------- mmap merging (uvm_map_enter)

    [Theory, MemberData(nameof(Paths))]
    public void Mmap_extends_the_previous_entry_when_the_new_range_continues_it(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FileShared, f, pgoff: 0));
        T.Ok(m.Mmap(p, 0x104000, 4, Prot.Read, MapKind.FileShared, f, pgoff: 4)); // back merge
        Assert.Equal(1, m.Entries(p));
        var e = m.EntryAt(p, 0x104000);
        Assert.Equal((0x100000UL, 0x108000UL, 0UL), (e.Start, e.End, e.Offset));
        Assert.Equal(1, m.Obj(f).Refs); // the new mapping's reference was dropped: one entry, one reference
        // the neighbour window spans the merged entry: 3 back (all in the first mmap) and 3 forward (the entry
        // ends there); two separate entries would have given only the 3 forward.
        m.Access(p, 0x104000, FaultCase.Lower2A, neighbors: 6, value: 4);
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Mmap_pulls_the_next_entry_back_when_the_new_range_ends_where_it_starts(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x104000, 4, Prot.Read, MapKind.FilePrivate, f, pgoff: 4));
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FilePrivate, f, pgoff: 0)); // forward merge
        Assert.Equal(1, m.Entries(p));
        var e = m.EntryAt(p, 0x100000);
        Assert.Equal((0x100000UL, 0x108000UL, 0UL), (e.Start, e.End, e.Offset));
        m.Access(p, 0x103000, FaultCase.Lower2A, neighbors: 7, value: 3);
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Mmap_filling_the_gap_between_two_compatible_entries_joins_all_three(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x14000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(2, m.Entries(p));
        T.Ok(m.Mmap(p, 0x12000, 2, Prot.ReadWrite, MapKind.AnonPrivate)); // back merge, then the bimerge
        Assert.Equal(1, m.Entries(p));
        Assert.Equal((0x10000UL, 0x16000UL), (m.EntryAt(p, 0x10000).Start, m.EntryAt(p, 0x10000).End));
        m.Access(p, 0x15000, FaultCase.Lower2B, write: 9);
        Assert.Equal(6, m.Amaps[m.EntryAt(p, 0x10000).Amap.Index].NSlot); // one amap for all six pages
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Mmap_does_not_merge_what_uvm_et_iscompatible_refuses(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.Read, MapKind.FileShared, f, pgoff: 0));
        T.Ok(m.Mmap(p, 0x102000, 2, Prot.Read, MapKind.FileShared, f, pgoff: 5)); // offsets not contiguous
        T.Ok(m.Mmap(p, 0x104000, 2, Prot.ReadWrite, MapKind.FileShared, f, pgoff: 7)); // other protection
        T.Ok(m.Mmap(p, 0x106000, 2, Prot.ReadWrite, MapKind.FilePrivate, f, pgoff: 9)); // copy-on-write
        T.Ok(m.Mmap(p, 0x108000, 2, Prot.ReadWrite, MapKind.AnonPrivate)); // no object
        m.Write(p, 0x108000, 1); // the amap copy clears NEEDSCOPY: the entry's type differs from a new one's
        T.Ok(m.Mmap(p, 0x10a000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x10c000, 2, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        T.Ok(m.Mmap(p, 0x10e000, 2, Prot.ReadWrite, MapKind.AnonPrivate)); // after a wired entry
        T.Ok(m.Madvise(p, 0x10e000, 2, Advice.Random));
        T.Ok(m.Mmap(p, 0x110000, 2, Prot.ReadWrite, MapKind.AnonPrivate)); // after an entry with other advice
        Assert.Equal(9, m.Entries(p));
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Mmap_extends_a_shared_anonymous_entry_by_growing_its_amap(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(p, 0x11000, 0x41);
        T.Ok(m.Mmap(p, 0x12000, 2, Prot.ReadWrite, MapKind.AnonShared)); // amap_extend forwards
        Assert.Equal(1, m.Entries(p));
        Assert.Equal(4, m.Amaps[m.EntryAt(p, 0x10000).Amap.Index].NSlot);
        Assert.Equal(0x41, m.Peek(p, 0x11000));
        T.Ok(m.Fork(p, out var c));
        m.Write(c, 0x13000, 0x42); // the child shares the whole merged amap
        Assert.Equal(0x42, m.Peek(p, 0x13000));
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Mmap_does_not_extend_an_amap_with_other_references(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonShared));
        T.Ok(m.Fork(p, out _)); // am_ref 2
        T.Ok(m.Mmap(p, 0x12000, 2, Prot.ReadWrite, MapKind.AnonShared));
        Assert.Equal(2, m.Entries(p));
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Mmap_merged_over_the_unmapped_tail_of_an_amap_sees_zeros_not_the_old_anons(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonShared));
        for (ulong i = 0; i < 4; i++)
            m.Write(p, 0x10000 + i * S.PG, (byte)(0x10 + i));
        T.Ok(m.Munmap(p, 0x12000, 2)); // the amap keeps its four slots, its only entry covers two
        T.Ok(m.Mmap(p, 0x12000, 2, Prot.ReadWrite, MapKind.AnonShared));
        Assert.Equal(1, m.Entries(p));
        Assert.Equal(0x11, m.Peek(p, 0x11000));
        Assert.Equal(0, m.Peek(p, 0x12000));
        Assert.Equal(0, m.Peek(p, 0x13000));
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Mmap_pulls_a_next_entrys_amap_back_over_the_new_range(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x14000, 2, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(p, 0x14000, 0x21);
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonShared)); // amap_extend backwards
        Assert.Equal(1, m.Entries(p));
        Assert.Equal(0x10000UL, m.EntryAt(p, 0x14000).Start);
        Assert.Equal(0x21, m.Peek(p, 0x14000));
        m.Write(p, 0x10000, 0x22);
        Assert.Equal(0x22, m.Peek(p, 0x10000));
        m.NoViolations();
    }

    // ---------------------------------------------------------------- munmap / mprotect / madvise over holes

    [Theory, MemberData(nameof(Paths))]
    public void Munmap_mprotect_and_madvise_act_on_what_a_range_with_holes_covers(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x14000, 2, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(p, 0x11000, 1);
        m.Write(p, 0x14000, 2);
        T.Ok(m.Mprotect(p, 0x11000, 4, Prot.Read));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x11000));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x14000));
        T.Ok(m.Madvise(p, 0x11000, 4, Advice.Sequential));
        Assert.Equal(Advice.Sequential, m.EntryAt(p, 0x14000).Advice);
        Assert.Equal(Advice.Normal, m.EntryAt(p, 0x10000).Advice);
        T.Ok(m.Munmap(p, 0x11000, 4));
        Assert.Equal(0, m.CountMapped(p, 0x11000, 4));
        Assert.Equal(2, m.Entries(p)); // 0x10000 and 0x15000 are left
        T.Ok(m.Munmap(p, 0x40000, 8));
        T.Ok(m.Mprotect(p, 0x40000, 8, Prot.None));
        T.Ok(m.Madvise(p, 0x40000, 8, Advice.Random));
        m.NoViolations();
    }

    // ---------------------------------------------------------------- loan (uvm_loan.c)

    [Theory, MemberData(nameof(Paths))]
    public void Loan_swaps_an_anon_in_through_anonget_without_mapping_it(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 0x5a);
        T.Ok(m.Pageout(p, 0x10000, 1));
        Assert.Equal(0, m.CountResident(p, 0x10000, 1));
        m.ResetCounters();
        T.Ok(m.Loan(p, 0x10000, 1));
        Assert.Equal((0L, 1L, 1L, 1L), (m.Counters.faults, m.Counters.fltanget, m.Counters.majflt, m.Counters.pageins));
        Assert.Equal(0, m.CountMapped(p, 0x10000, 1));
        var pg = m.Loans[0].Page;
        Assert.Equal(pg, m.PageBehind(p, 0x10000));
        Assert.Equal(1, m.Page(pg).LoanCount);
        Assert.Equal(0x5a, m.Peek(p, 0x10000));
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Loan_past_the_first_page_of_an_entry_that_needs_a_swap_in_relooks_up_as_anonget_does(FaultPath path)
    {
        // uvmfault_anonget checks the amap slot of ufi's original address, which uvm_loan sets to the start of
        // its lookup: a swap-in for a later page of the entry ends in ERESTART, uvm_loan looks the entry up
        // again from that page, and the second anonget finds the page resident.
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x11000, 2);
        T.Ok(m.Pageout(p, 0x11000, 1));
        m.ResetCounters();
        T.Ok(m.Loan(p, 0x10000, 2));
        Assert.Equal((3L, 1L, 2L, 1L), (m.Counters.fltanget, m.Counters.majflt, m.Counters.minflt, m.Counters.pageins));
        Assert.Equal(2, m.Loans.Count);
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Loan_reads_a_file_page_in_with_pgo_get_and_leaves_the_vnode_clean(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var f = m.CreateFile(4, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Loan(p, 0x102000, 1));
        Assert.Equal(0, m.Counters.faults);
        var pg = m.Obj(f).Resident[2];
        Assert.True(pg.IsPage);
        Assert.Equal(pg, m.Loans[0].Page);
        Assert.Equal(1, m.Page(pg).LoanCount);
        Assert.Equal(0, m.CountMapped(p, 0x100000, 4));
        Assert.False(m.Obj(f).Dirty); // a VM_PROT_READ pgo_get
        Assert.Equal(1, m.CountResident(p, 0x100000, 4));
        // a write now maps a copy: the loan is broken in the object (uvm_fault_lower_direct_loan)
        m.Access(p, 0x102000, FaultCase.Lower2A, write: 7);
        Assert.NotEqual(pg, m.Obj(f).Resident[2]);
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Loan_of_a_file_page_the_pager_cannot_read_is_EINVAL_and_ends_the_loans_made_before(FaultPath path)
    {
        // pgo_get fails past the end of the file: uvm_loanuobj returns -1, uvm_loan EINVAL and uvm_unloanpage.
        var m = T.NewMachine(path: path);
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FileShared, f));
        Assert.Equal(Errno.EINVAL, m.Loan(p, 0x101000, 2));
        Assert.Empty(m.Loans);
        Assert.Equal(0, m.Page(m.Obj(f).Resident[1]).LoanCount);
        Assert.Equal(0, m.Locks.Depth);
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Loan_of_a_range_with_nothing_behind_it_lends_the_single_zero_page_which_stays(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        var q = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(q, 0x40000, 1, Prot.None, MapKind.AnonPrivate)); // uvm_loan looks at no protection
        int free = m.FreePages;
        T.Ok(m.Loan(p, 0x10000, 2));
        T.Ok(m.Loan(q, 0x40000, 1));
        var zero = m.LoanZeroPage;
        Assert.Equal(3, m.Page(zero).LoanCount);
        Assert.Equal(free - 1, m.FreePages);
        Assert.True(m.Mem.Frame(zero).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(m.AnonAt(p, 0x10000).IsNull); // no anon was made
        T.Ok(m.Unloan(p, 0x10000, 2));
        T.Ok(m.Unloan(q, 0x40000, 1));
        Assert.Equal(0, m.Page(zero).LoanCount);
        Assert.Equal(free - 1, m.FreePages); // uvm_loanzero_object keeps its page
        T.Ok(m.Loan(p, 0x11000, 1));
        Assert.Equal(zero, m.Loans[0].Page);
        m.Write(p, 0x11000, 3); // the process's own zero fill, not the kernel's page
        Assert.Equal(0, m.Mem.Frame(zero)[0]);
        m.NoViolations();
    }

    [Theory, MemberData(nameof(Paths))]
    public void Loan_of_an_empty_slot_of_a_shared_anonymous_mapping_is_EINVAL(FaultPath path)
    {
        // uvm_loanentry: no anon, no object and not copy-on-write: nothing to lend.
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(p, 0x10000, 1);
        Assert.Equal(Errno.EINVAL, m.Loan(p, 0x10000, 2));
        Assert.Empty(m.Loans);
        Assert.Equal(0, m.Page(m.MappedPage(p, 0x10000)).LoanCount);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000)); // the first page's loan was undone, its pmap_page_protect not
        m.NoViolations();
    }

    // ---------------------------------------------------------------- failed mlock (uvm_map_pageable)

    [Theory, MemberData(nameof(Paths))]
    public void A_failed_mlock_leaves_the_ptes_it_wired_marked_wired_as_the_unwind_of_1_208_does(FaultPath path)
    {
        var m = T.NewMachine(pages: 6, swap: 0, path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Errno.ENOMEM, m.Mlock(p, 0x10000, 8));
        int wired = m.CountWired(p, 0x10000, 8);
        Assert.InRange(wired, 1, 7);
        Assert.Equal(wired, m.CountMapped(p, 0x10000, 8));
        Assert.False(m.EntryAt(p, 0x10000).IsWired);
        for (ulong i = 0; i < (ulong)wired; i++)
            Assert.Equal(0, m.Page(m.MappedPage(p, 0x10000 + i * S.PG)).WireCount); // only the pmap says wired
        m.NoViolations();
        T.Ok(m.Munmap(p, 0x10000, 8)); // pmap_remove takes the stale wirings with the mappings
        Assert.Equal(6, m.FreePages);
        m.NoViolations();
    }

    // ---------------------------------------------------------------- faults (cpu_nfault)

    [Theory, MemberData(nameof(Paths))]
    public void Faults_counts_the_per_page_calls_of_uvm_fault_wire(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 3, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        Assert.Equal(3, m.Counters.faults);
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Mlock(p, 0x101000, 2));
        Assert.Equal(5, m.Counters.faults);
        T.Ok(m.Mlock(p, 0x100000, 4)); // the already wired middle entry is not faulted again
        Assert.Equal(7, m.Counters.faults);
        m.NoViolations();
    }

    // ---------------------------------------------------------------- mincore (sys_mincore)

    [Theory, MemberData(nameof(Paths))]
    public void Mincore_falls_back_to_the_objects_page_when_the_anon_has_none(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Write(p, 0x100000, 0x77); // 2B: an anon over the object's page 0
        T.Ok(m.Pageout(p, 0x100000, 1)); // the anon's page goes to swap; the object's page stays
        Assert.False(m.AnonAt(p, 0x100000).IsNull);
        Assert.True(m.Obj(f).Resident[0].IsPage);
        Assert.Equal(2, m.CountResident(p, 0x100000, 2));
        Assert.Equal(0x77, m.Peek(p, 0x100000)); // what a read would see is still the anon's
        m.NoViolations();
    }

    // ---------------------------------------------------------------- the checked configuration

    [Fact]
    public void The_tests_run_the_models_checked_configuration()
    {
        Assert.True(ModelChecks.Enabled);
        var e = Assert.Throws<InvalidOperationException>(() => K.Assert(1 + 1 == 3));
        Assert.Contains("1 + 1 == 3", e.Message);
    }
}
