using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Counters": each counter incremented exactly where uvm_fault.c 1.208 increments it.</summary>
public class CounterRules
{
    private static (Machine m, ProcId p) Anon(int npages = 8, int pages = 256, int swap = 8192)
    {
        var m = T.NewMachine(pages: pages, swap: swap);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, npages, Prot.ReadWrite, MapKind.AnonPrivate));
        return (m, p);
    }

    [Fact]
    public void faults_counts_every_call_of_the_fault_entry_point_wiring_included_and_neither_hits_nor_loans()
    {
        // cpu_nfault++ at the top of uvm_fault_internal: uvm_fault_wire's per-page calls count too.
        var (m, p) = Anon();
        m.Write(p, 0x10000, 1);             // fault (2 passes): one call
        m.Write(p, 0x10000, 2);             // hit
        m.Read(p, 0x10000);                 // hit
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x90000).Error); // fault that fails
        Assert.Equal(2, m.Counters.faults);
        T.Ok(m.Mlock(p, 0x14000, 2));       // two wiring faults
        Assert.Equal(4, m.Counters.faults);
        T.Ok(m.Loan(p, 0x16000, 2));        // uvm_loan lends the zero page: no fault
        Assert.Equal(4, m.Counters.faults);
        m.Access(p, 0x17000, FaultCase.Lower2B); // not mapped by the loan: a zero-fill fault
        Assert.Equal(5, m.Counters.faults);
        Assert.Equal(4, m.Counters.flt_przero); // 1 + 2 wired + 1 read
        m.NoViolations();
    }

    [Fact]
    public void fltamcopy_counts_each_needs_copy_clearing_in_uvm_fault_check()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Read(p, 0x10000);          // no object: copy even for a read
        Assert.Equal(1, m.Counters.fltamcopy);
        m.Read(p, 0x101000);         // object and no write: stays NEEDSCOPY, entered read-only
        Assert.Equal(1, m.Counters.fltamcopy);
        m.Write(p, 0x101000, 1);     // cow_now: copy
        Assert.Equal(2, m.Counters.fltamcopy);
        T.Ok(m.Fork(p, out var c));
        m.Write(c, 0x10000, 1);
        m.Write(c, 0x11000, 1);      // the second write finds the amap already copied
        Assert.Equal(3, m.Counters.fltamcopy);
        m.NoViolations();
    }

    [Fact]
    public void fltanget_counts_each_uvmfault_anonget_call_of_an_upper_fault()
    {
        var (m, p) = Anon();
        m.Write(p, 0x10000, 1);
        Assert.Equal(0, m.Counters.fltanget); // zero fill: lower
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FaultCase.Upper1A, prot: Prot.Read);
        m.Access(c, 0x10000, FaultCase.Upper1B, write: 2);
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 1, write: 3);
        Assert.Equal(3, m.Counters.fltanget);
        m.NoViolations();
    }

    [Fact]
    public void fltanretry_counts_the_anonget_loop_after_a_swap_in()
    {
        var (m, p) = Anon();
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x11000, 2);
        T.Ok(m.Pageout(p, 0x10000, 2));
        m.Access(p, 0x10000, FaultCase.Upper1A, value: 1);
        Assert.Equal(1, m.Counters.fltanretry);
        m.Access(p, 0x11000, FaultCase.Upper1A, value: 2);
        Assert.Equal(2, m.Counters.fltanretry);
        T.Ok(m.Mprotect(p, 0x10000, 2, Prot.None));
        T.Ok(m.Mprotect(p, 0x10000, 2, Prot.ReadWrite));
        m.Access(p, 0x10000, FaultCase.Upper1A, value: 1); // resident: no retry
        Assert.Equal(2, m.Counters.fltanretry);
        m.NoViolations();
    }

    [Fact]
    public void flt_anon_counts_case_1A_and_flt_acow_counts_case_1B()
    {
        var (m, p) = Anon();
        m.Write(p, 0x10000, 1);
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FaultCase.Upper1A, prot: Prot.Read);
        Assert.Equal((1, 0), (m.Counters.flt_anon, m.Counters.flt_acow));
        m.Access(c, 0x10000, FaultCase.Upper1B, write: 2);
        Assert.Equal((1, 1), (m.Counters.flt_anon, m.Counters.flt_acow));
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 1, write: 3);
        Assert.Equal((2, 1), (m.Counters.flt_anon, m.Counters.flt_acow));
        m.NoViolations();
    }

    [Fact]
    public void flt_obj_counts_case_2A_flt_prcopy_2B_copies_and_flt_przero_2B_zero_fills()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonShared));
        T.Ok(m.Madvise(p, 0x100000, 4, Advice.Random));
        m.Access(p, 0x100000, FaultCase.Lower2A);
        m.Access(p, 0x101000, FaultCase.Lower2A);
        m.Access(p, 0x100000, FaultCase.Lower2B, write: 1);
        m.Access(p, 0x102000, FaultCase.Lower2B, write: 1);
        m.Access(p, 0x10000, FaultCase.Lower2B, value: 0);
        Assert.Equal(2, m.Counters.flt_obj);
        Assert.Equal(2, m.Counters.flt_prcopy);
        Assert.Equal(1, m.Counters.flt_przero);
        Assert.Equal(0, m.Counters.flt_anon + m.Counters.flt_acow);
        m.NoViolations();
    }

    [Fact]
    public void fltnamap_counts_upper_neighbours_and_fltnomap_lower_neighbours()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Access(p, 0x108000, FaultCase.Lower2A, neighbors: 7);
        Assert.Equal((0, 7), (m.Counters.fltnamap, m.Counters.fltnomap));
        for (ulong i = 5; i <= 12; i++)
            m.Write(p, 0x100000 + i * S.PG, 1); // promote 8 pages into anons
        T.Ok(m.Mprotect(p, 0x100000, 16, Prot.None));
        T.Ok(m.Mprotect(p, 0x100000, 16, Prot.ReadWrite));
        m.ResetCounters();
        // window 5..12: upper neighbours 5..7 and 9..12; no lower neighbour (all shadowed)
        m.Access(p, 0x108000, FaultCase.Upper1A, neighbors: 7);
        Assert.Equal((7, 0), (m.Counters.fltnamap, m.Counters.fltnomap));
        m.ResetCounters();
        // window 10..17 clipped to 10..15: 10..12 mapped already; 13 is the centre; 14, 15 lower neighbours
        m.Access(p, 0x10d000, FaultCase.Lower2A, neighbors: 2);
        Assert.Equal((0, 2), (m.Counters.fltnamap, m.Counters.fltnomap));
        m.NoViolations();
    }

    [Fact]
    public void fltlget_counts_each_locked_object_lookup_and_fltget_each_pager_io()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(8, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 8, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Access(p, 0x100000, FaultCase.Lower2A);            // lookup finds nothing, then I/O
        Assert.Equal((1, 1), (m.Counters.fltlget, m.Counters.fltget));
        m.Access(p, 0x100000, FaultCase.Lower2B, write: 1);  // resident now: no I/O
        Assert.Equal((2, 1), (m.Counters.fltlget, m.Counters.fltget));
        T.Ok(m.Mprotect(p, 0x100000, 8, Prot.None));
        T.Ok(m.Mprotect(p, 0x100000, 8, Prot.ReadWrite));
        m.Access(p, 0x100000, FaultCase.Upper1A);            // upper fault: no object lookup
        Assert.Equal((2, 1), (m.Counters.fltlget, m.Counters.fltget));
        var q = m.CreateProcess();
        T.Ok(m.Mmap(q, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(q, 0x10000, FaultCase.Lower2B, write: 1);  // zero fill: no object
        Assert.Equal((2, 1), (m.Counters.fltlget, m.Counters.fltget));
        m.NoViolations();
    }

    [Fact]
    public void fltnoram_counts_a_promotion_that_found_no_free_page_but_something_reclaimable()
    {
        var (m, p) = Anon(npages: 16, pages: 8, swap: 64);
        for (ulong i = 0; i < 8; i++)
            m.Write(p, 0x10000 + i * S.PG, 1);
        Assert.Equal(0, m.Counters.fltnoram);
        m.Access(p, 0x18000, FaultCase.Lower2B, restarts: 1, write: 1);
        Assert.Equal(1, m.Counters.fltnoram);
        Assert.Equal(0, m.Counters.fltnoanon);
        m.NoViolations();
    }

    [Fact]
    public void fltnoanon_counts_a_promotion_with_no_anon_or_page_and_nothing_reclaimable()
    {
        var (m, p) = Anon(npages: 8, pages: 4, swap: 0);
        for (ulong i = 0; i < 4; i++)
            m.Write(p, 0x10000 + i * S.PG, 1);
        Assert.Equal(Errno.ENOMEM, m.Write(p, 0x14000, 1).Error);
        Assert.Equal(1, m.Counters.fltnoanon);
        Assert.Equal(0, m.Counters.fltnoram);
        T.Ok(m.Fork(p, out var c));
        Assert.Equal(Errno.ENOMEM, m.Write(c, 0x10000, 2).Error); // 1B: the copy has nowhere to go
        Assert.Equal(2, m.Counters.fltnoanon);
        Assert.Equal(1, m.Counters.flt_acow);
        m.NoViolations();
    }

    [Fact]
    public void fltnoram_counts_each_wait_for_a_loan_break_of_an_object_page_and_the_fault_gives_up_after_64_waits()
    {
        var m = T.NewMachine(pages: 4, swap: 0);
        var f = m.CreateFile(1, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 1, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x100000, FaultCase.Lower2A, write: 0x61);
        T.Ok(m.Loan(p, 0x100000, 1));
        T.Ok(m.Mmap(p, 0x10000, 3, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        Assert.Equal(0, m.FreePages);
        m.ResetCounters();
        // uvm_fault_lower_direct_loan (1.208 lines 2099-2117): fltnoram++, uvm_wait, ERESTART - with nothing to
        // reclaim every pass fails the same way; the model gives up after MaxWaitsPerFault waits
        var r = m.Write(p, 0x100000, 0x62);
        Assert.Equal(Errno.ENOMEM, r.Error);
        Assert.Equal(Machine.MaxWaitsPerFault + 1, r.Restarts);
        Assert.Equal(Machine.MaxWaitsPerFault + 1, m.Counters.fltnoram);
        Assert.Equal(1, m.Counters.faults);
        Assert.Equal(0x61, m.Peek(p, 0x100000));
        Assert.Equal(1, m.Page(m.Obj(f).Resident[0]).LoanCount);
        m.NoViolations();
    }

    [Fact]
    public void Upper_loan_break_with_no_free_page_waits_without_counting_fltnoram()
    {
        var m = T.NewMachine(pages: 4, swap: 0);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x20000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x20000, FaultCase.Lower2B, write: 0x61);
        T.Ok(m.Loan(p, 0x20000, 1));
        T.Ok(m.Mmap(p, 0x10000, 3, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        m.ResetCounters();
        // uvm_fault_upper_loan (1.208 lines 1433-1438): uvm_wait and ERESTART, no counter
        var r = m.Write(p, 0x20000, 0x62);
        Assert.Equal(Errno.ENOMEM, r.Error);
        Assert.Equal(Machine.MaxWaitsPerFault + 1, r.Restarts);
        Assert.Equal(0, m.Counters.fltnoram);
        Assert.Equal(Machine.MaxWaitsPerFault + 1, m.Counters.fltanget);
        Assert.Equal(0x61, m.Peek(p, 0x20000));
        m.NoViolations();
    }

    [Fact]
    public void fltpgwait_and_fltpgrele_stay_0_since_no_other_thread_can_hold_a_page_busy_in_the_single_threaded_model()
    {
        var m = T.NewMachine(pages: 24, swap: 128);
        var f = m.CreateFile(32, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 32, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 32, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Mmap(p, 0x200000, 32, Prot.ReadWrite, MapKind.FilePrivate, f));
        var rng = new Random(12345);
        var procs = new List<ProcId> { p };
        for (int step = 0; step < 600; step++)
        {
            var q = procs[rng.Next(procs.Count)];
            ulong va = new[] { 0x10000UL, 0x100000UL, 0x200000UL }[rng.Next(3)] + (ulong)rng.Next(32) * S.PG;
            switch (rng.Next(10))
            {
                case < 4: m.Write(q, va, (byte)step); break;
                case < 7: m.Read(q, va); break;
                case 7: m.Pageout(q, va, 2); break;
                case 8:
                    if (procs.Count < 4 && m.Fork(q, out var c) == Errno.OK) procs.Add(c);
                    else m.PageDaemon(4);
                    break;
                default:
                    if (m.Loan(q, va, 1) == Errno.OK) T.Ok(m.Unloan(q, va, 1));
                    break;
            }
        }
        Assert.True(m.Counters.faults > 100);
        Assert.True(m.Counters.pageins > 0);
        Assert.True(m.Counters.fltget > 0);
        Assert.Equal(0, m.Counters.fltpgwait);
        Assert.Equal(0, m.Counters.fltpgrele);
        m.NoViolations();
    }

    [Fact]
    public void pageins_counts_swap_ins_in_anonget()
    {
        var (m, p) = Anon(pages: 64, swap: 64);
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x11000, 2);
        T.Ok(m.Pageout(p, 0x10000, 2));
        T.Ok(m.Fork(p, out var c));
        Assert.Equal(0, m.CountResident(p, 0x10000, 2));
        Assert.Equal(0, m.Counters.pageins);
        m.Access(c, 0x11000, FaultCase.Upper1A, value: 2);
        Assert.Equal(1, m.Counters.pageins);
        m.Access(p, 0x11000, FaultCase.Upper1A, value: 2); // resident again (shared anon); its amap copy (am_ref 1) clears NEEDSCOPY
        Assert.Equal(1, m.Counters.pageins);
        m.Access(p, 0x10000, FaultCase.Upper1B, restarts: 0, write: 3);
        Assert.Equal(2, m.Counters.pageins);
        m.NoViolations();
    }

    [Fact]
    public void minflt_and_majflt_count_resident_and_non_resident_faults_summed_over_processes()
    {
        var m = T.NewMachine(pages: 64, swap: 64);
        var f = m.CreateFile(4, resident: false);
        var p = m.CreateProcess();
        var q = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Mmap(q, 0x100000, 4, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Madvise(q, 0x100000, 4, Advice.Random));
        m.Write(p, 0x10000, 1);                    // zero fill: uobjpage = PGO_DONTCARE is non-NULL -> minflt
        Assert.Equal((1L, 0L), (m.Counters.minflt, m.Counters.majflt));
        m.Read(p, 0x100000);                       // object I/O -> majflt
        Assert.Equal((1L, 1L), (m.Counters.minflt, m.Counters.majflt));
        m.Read(q, 0x100000);                       // another process, resident object page -> minflt
        Assert.Equal((2L, 1L), (m.Counters.minflt, m.Counters.majflt));
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.None));
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.ReadWrite));
        m.Read(p, 0x10000);                        // resident anon -> minflt
        Assert.Equal((3L, 1L), (m.Counters.minflt, m.Counters.majflt));
        T.Ok(m.Pageout(p, 0x10000, 1));
        m.Read(p, 0x10000);                        // swapped anon -> majflt
        Assert.Equal((3L, 2L), (m.Counters.minflt, m.Counters.majflt));
        m.NoViolations();
    }
}

/// <summary>The counters every family has, in the NetBSD family's terms (UvmCounters.Get(CommonCounter)).</summary>
public class CommonCounterRules
{
    [Fact]
    public void The_common_counters_are_the_1208_counters_they_stand_for()
    {
        // A zero fill, a fork and a copy-on-write in the child, a file read with neighbours and a private file copy.
        var m = T.NewMachine();
        var f = m.CreateFile(8, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x40000, 8, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Write(p, 0x10000, 1);
        T.Ok(m.Fork(p, out var c));
        m.Write(c, 0x10000, 2);
        m.Read(p, 0x42000);
        m.Write(p, 0x43000, 3);

        IMachine machine = m;
        ref readonly var k = ref m.Counters;
        Assert.Equal(
            [k.faults, k.flt_anon + k.flt_acow + k.flt_obj + k.flt_prcopy + k.flt_przero,
             k.flt_anon + k.flt_acow + k.flt_obj + k.flt_prcopy + k.flt_przero + k.fltnamap + k.fltnomap,
             k.minflt, k.majflt, k.flt_przero, k.flt_acow + k.flt_prcopy, k.pageins],
            MachineFamily.CommonCounters.Select(machine.Counter).ToArray());
        Assert.True(k.flt_przero > 0 && k.flt_acow > 0 && k.flt_prcopy > 0 && k.fltnomap > 0, "every kind of fault happened");
        // Each family counter by name is the struct's field of that name.
        foreach (var name in UvmCounters.Names)
            Assert.Equal(k.Get(name), machine.Counter(name));
        Assert.Equal(MachineFamily.CommonCounters.Count + UvmCounters.Names.Count - 2, machine.Family.Counters.Count); // faults, pageins are common
    }
}
