using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "The fault case of an access": case of the final pass, restarts, neighbours, uvmadvice windows.</summary>
public class FaultCaseRules
{
    [Fact]
    public void Each_case_is_reported_for_its_handler_1A_1B_2A_2B()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        T.Ok(m.Madvise(p, 0x100000, 4, Advice.Random));
        m.Access(p, 0x100000, FaultCase.Lower2A, restarts: 0, prot: Prot.Read);                // uvm_fault_lower_direct
        m.Access(p, 0x100000, FaultCase.Lower2B, restarts: 1, prot: Prot.ReadWrite, write: 1); // uvm_fault_lower_promote
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x100000, FaultCase.Upper1A, restarts: 0, prot: Prot.Read, value: 1);     // uvm_fault_upper_direct
        m.Access(c, 0x100000, FaultCase.Upper1B, restarts: 1, prot: Prot.ReadWrite, write: 2); // uvm_fault_upper_promote
        Assert.Equal(1, m.Counters.flt_obj);
        Assert.Equal(1, m.Counters.flt_prcopy);
        Assert.Equal(1, m.Counters.flt_anon);
        Assert.Equal(1, m.Counters.flt_acow);
        m.NoViolations();
    }

    [Fact]
    public void Zero_fill_is_reported_as_2B()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonShared));
        m.Access(p, 0x10000, FaultCase.Lower2B, restarts: 0, neighbors: 0, prot: Prot.ReadWrite, value: 0);
        Assert.Equal(1, m.Counters.flt_przero);
        m.NoViolations();
    }

    [Fact]
    public void Case_reported_is_the_final_successful_passs_not_an_earlier_passs()
    {
        // three page-table pages: p's root, and one middle and one leaf table. Region B needs another leaf.
        var m = T.NewMachine(pages: 16, swap: 16, ptps: 3);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x400000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x11);
        m.ResetCounters();
        // pass 1: amap copy (ERESTART); pass 2: 2B promotes a zero page but pmap_enter fails, uvm_wait runs
        // the daemon (which frees the page-table pages of region A), ERESTART; pass 3: the anon is in the amap now: 1A.
        m.Access(p, 0x400000, FaultCase.Upper1A, restarts: 2, prot: Prot.ReadWrite, write: 0x22);
        Assert.Equal(1, m.Counters.flt_przero);
        Assert.Equal(1, m.Counters.flt_anon);
        Assert.Equal(1, m.Counters.fltamcopy);
        Assert.Equal(0x11, m.Peek(p, 0x10000));
        Assert.Equal(0x22, m.Peek(p, 0x400000));
        m.NoViolations();
    }

    [Fact]
    public void Restarts_counts_the_passes_that_ended_in_ERESTART()
    {
        var m = T.NewMachine(pages: 8, swap: 64);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, restarts: 1, write: 1); // amap copy
        for (ulong i = 1; i < 8; i++)
            m.Access(p, 0x10000 + i * S.PG, FaultCase.Lower2B, restarts: 0, write: 1);
        m.Access(p, 0x18000, FaultCase.Lower2B, restarts: 1, write: 1); // out of memory
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x18000, FaultCase.Upper1B, restarts: 1, write: 2); // amap copy
        m.Access(c, 0x18000, FaultCase.Hit, restarts: 0, write: 3);
        m.NoViolations();
    }

    [Fact]
    public void Neighbors_is_the_growth_of_fltnamap_plus_fltnomap_during_the_fault()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.ReadWrite, MapKind.FilePrivate, f));
        for (ulong i = 0; i < 3; i++)
            m.Write(p, 0x104000 + i * S.PG, 1); // anons at 4, 5, 6 (neighbours of these writes are lower pages)
        T.Ok(m.Mprotect(p, 0x100000, 16, Prot.None));
        T.Ok(m.Mprotect(p, 0x100000, 16, Prot.ReadWrite));
        var before = m.Counters;
        // window 4..11 around 7 (3 back, 4 forward): upper 4, 5, 6; lower 8..11
        var r = m.Access(p, 0x107000, FaultCase.Lower2A, restarts: 0, neighbors: 7);
        Assert.Equal(3, m.Counters.fltnamap - before.fltnamap);
        Assert.Equal(4, m.Counters.fltnomap - before.fltnomap);
        Assert.Equal(r.Neighbors, (int)(m.Counters.fltnamap + m.Counters.fltnomap - before.fltnamap - before.fltnomap));
        m.NoViolations();
    }

    [Fact]
    public void Normal_advice_window_is_3_back_and_4_forward_clipped_to_the_entry()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(32, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 32, Prot.Read, MapKind.FileShared, f));
        m.Access(p, 0x108000, FaultCase.Lower2A, neighbors: 7);
        Assert.Equal(8, m.CountMapped(p, 0x105000, 8));
        Assert.Equal(8, m.CountMapped(p, 0x100000, 32));
        m.Access(p, 0x101000, FaultCase.Lower2A, neighbors: 4); // 1 back (clipped), 4 forward of which 5 is mapped
        Assert.Equal(6, m.CountMapped(p, 0x100000, 6));
        m.Access(p, 0x11e000, FaultCase.Lower2A, neighbors: 4); // 3 back, 1 forward (clipped)
        Assert.Equal(5, m.CountMapped(p, 0x11b000, 5));
        Assert.Equal(18, m.CountMapped(p, 0x100000, 32));
        m.NoViolations();
    }

    [Fact]
    public void Random_advice_window_is_the_faulting_page_alone()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Madvise(p, 0x100000, 16, Advice.Random));
        m.Access(p, 0x108000, FaultCase.Lower2A, neighbors: 0);
        Assert.Equal(1, m.CountMapped(p, 0x100000, 16));
        Assert.Equal(0, m.Counters.fltnomap);
        m.NoViolations();
    }

    [Fact]
    public void Sequential_advice_window_is_8_back_7_forward_with_back_object_pages_deactivated_and_dropped()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(32, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 32, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Madvise(p, 0x100000, 32, Advice.Sequential));
        m.Access(p, 0x10c000, FaultCase.Lower2A, neighbors: 7);
        Assert.Equal(0, m.CountMapped(p, 0x100000, 12)); // back pages are not entered
        Assert.Equal(8, m.CountMapped(p, 0x10c000, 8));  // 12 and 13..19
        for (int i = 0; i < 32; i++)
        {
            var q = m.Page(m.Obj(f).Resident[i]).Queue;
            Assert.Equal(i is >= 4 and < 12 ? PageQueue.Inactive : PageQueue.Active, q);
        }
        m.NoViolations();
    }

    [Fact]
    public void Sequential_advice_deactivates_and_drops_back_anon_pages()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 16; i++)
            m.Write(p, 0x10000 + i * S.PG, (byte)i);
        T.Ok(m.Madvise(p, 0x10000, 16, Advice.Sequential));
        T.Ok(m.Mprotect(p, 0x10000, 16, Prot.None));
        T.Ok(m.Mprotect(p, 0x10000, 16, Prot.ReadWrite));
        // window 2..17 clipped to 2..15: back 2..9 deactivated and forgotten, forward 11..15 entered
        m.Access(p, 0x1a000, FaultCase.Upper1A, neighbors: 5, value: 10);
        Assert.Equal(0, m.CountMapped(p, 0x10000, 10));
        Assert.Equal(6, m.CountMapped(p, 0x1a000, 6));
        Assert.Equal(5, m.Counters.fltnamap);
        for (ulong i = 0; i < 16; i++)
        {
            var pg = m.Anons[m.AnonAt(p, 0x10000 + i * S.PG).Index].Page;
            Assert.Equal(i is >= 2 and < 10 ? PageQueue.Inactive : PageQueue.Active, m.Page(pg).Queue);
        }
        m.NoViolations();
    }

    [Fact]
    public void Neighbours_already_mapped_are_skipped()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(32, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 32, Prot.Read, MapKind.FileShared, f));
        m.Access(p, 0x108000, FaultCase.Lower2A, neighbors: 7); // maps 5..12
        var before = m.Counters.fltnomap;
        m.Access(p, 0x10d000, FaultCase.Lower2A, neighbors: 4); // window 10..17: 10..12 already mapped
        Assert.Equal(4, m.Counters.fltnomap - before);
        Assert.Equal(13, m.CountMapped(p, 0x100000, 32));
        m.NoViolations();
    }

    [Fact]
    public void The_pass_after_an_amap_copy_restart_is_still_wide()
    {
        // 1.208 uvm_fault_check returns ERESTART for needs-copy (line 1030) before it computes the window and
        // sets narrow (lines 1068-1086): the next pass computes the wide window.
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 8; i++)
            m.Write(p, 0x10000 + i * S.PG, (byte)i);
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x14000, FaultCase.Upper1B, restarts: 1, neighbors: 6, prot: Prot.ReadWrite, write: 0x44);
        for (ulong i = 1; i < 8; i++)
            if (i != 4)
                Assert.Equal(Prot.Read, m.MappedProt(c, 0x10000 + i * S.PG)); // an_ref 2: read-only neighbours
        Assert.Equal(0, m.CountMapped(c, 0x10000, 1));
        m.NoViolations();
    }

    [Fact]
    public void The_pass_after_any_other_restart_is_narrow()
    {
        // three page-table pages: region A's mapping uses the last two, so region B cannot be entered until
        // the page daemon frees A's page (and with it A's page-table pages).
        var m = T.NewMachine(pages: 64, ptps: 3);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 0x11);
        var f = m.CreateFile(8, resident: true);
        T.Ok(m.Mmap(p, 0x400000, 8, Prot.Read, MapKind.FileShared, f));
        // pass 1 (wide): six neighbours tried (their pmap_enter fails, ignored), the centre's fails:
        // uvm_wait frees A's page and file pages 0-2, ERESTART; pass 2 is narrow: only the centre is entered
        m.Access(p, 0x404000, FaultCase.Lower2A, restarts: 1, neighbors: 6, prot: Prot.Read, value: 4);
        Assert.Equal(1, m.CountMapped(p, 0x400000, 8));
        Assert.Equal(5, m.CountResident(p, 0x400000, 8)); // 3, 5, 6, 7 resident but not entered
        Assert.Equal(0x11, m.Peek(p, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Wiring_faults_and_faults_on_wired_entries_are_narrow()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Mlock(p, 0x104000, 8));
        Assert.Equal(0, m.Counters.fltnomap);
        Assert.Equal(8, m.CountMapped(p, 0x100000, 16));
        // a wired entry whose mappings were removed: its faults are narrow and enter wired mappings
        T.Ok(m.Mprotect(p, 0x104000, 8, Prot.None));
        T.Ok(m.Mprotect(p, 0x104000, 8, Prot.Read));
        Assert.Equal(0, m.CountMapped(p, 0x104000, 8));
        m.Access(p, 0x108000, FaultCase.Lower2A, restarts: 0, neighbors: 0, prot: Prot.Read, value: 8);
        Assert.Equal(1, m.CountMapped(p, 0x100000, 16));
        Assert.Equal(1, m.CountWired(p, 0x108000, 1));
        m.NoViolations();
    }
}
