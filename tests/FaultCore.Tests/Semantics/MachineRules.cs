using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Machine": page size, frames and swap slots, page states, running out of free pages.</summary>
public class MachineRules
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Every_frame_starts_on_a_4_KiB_boundary_as_a_physical_page_does(int pages)
    {
        var m = T.NewMachine(pages: pages);

        Assert.True(m.Mem.FramesAligned);
        Assert.Equal(4096, m.Mem.Frame(new PageId(pages)).Length);
    }

    [Fact]
    public void Page_size_is_4096_bytes_so_the_byte_after_4095_is_on_another_page()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000 + 4095, FaultCase.Lower2B, restarts: 1, write: 0x11);
        m.Access(p, 0x10000 + 4096, FaultCase.Lower2B, restarts: 0, write: 0x22);
        Assert.NotEqual(m.MappedPage(p, 0x10000), m.MappedPage(p, 0x11000));
        Assert.Equal(0x11, m.Peek(p, 0x10fff));
        Assert.Equal(0x22, m.Peek(p, 0x11000));
        Assert.Equal(0, m.Peek(p, 0x11001));
        Assert.Equal(2, m.CountResident(p, 0x10000, 2));
        m.NoViolations();
    }

    [Fact]
    public void Machine_has_N_page_frames_of_real_4KiB_contents_and_S_swap_slots()
    {
        var m = T.NewMachine(pages: 64, swap: 32);
        Assert.Equal(64, m.FreePages);
        Assert.Equal(64, m.Mem.NPages);
        Assert.Equal(32, m.Swap.NSlots);
        Assert.Equal(32, m.Swap.FreeSlots);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        for (int k = 0; k < 4096; k += 511)
            m.Write(p, 0x10000 + (ulong)k, (byte)(k * 7));
        Assert.Equal(63, m.FreePages);
        var frame = m.Mem.Frame(m.MappedPage(p, 0x10000));
        Assert.Equal(4096, frame.Length);
        for (int k = 0; k < 4096; k += 511)
            Assert.Equal((byte)(k * 7), frame[k]);
        m.NoViolations();
    }

    [Fact]
    public void A_page_entered_by_a_fault_leaves_the_free_queue_for_the_active_queue()
    {
        var m = T.NewMachine(pages: 16);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(16, m.Mem.QueueCount(PageQueue.Free));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 1);
        var pg = m.MappedPage(p, 0x10000);
        Assert.Equal(PageQueue.Active, m.Page(pg).Queue);
        Assert.Equal(0, m.Page(pg).WireCount);
        Assert.Equal(15, m.Mem.QueueCount(PageQueue.Free));
        Assert.Equal(15, m.FreePages);
        m.NoViolations();
    }

    [Fact]
    public void A_page_can_be_on_the_inactive_queue_after_sequential_deactivation()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 16, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Madvise(p, 0x100000, 16, Advice.Sequential));
        m.Access(p, 0x10a000, FaultCase.Lower2A, neighbors: 5);
        var back = m.Obj(f).Resident[2];
        Assert.Equal(PageQueue.Inactive, m.Page(back).Queue);
        Assert.Equal(PageQueue.Active, m.Page(m.Obj(f).Resident[10]).Queue);
        m.NoViolations();
    }

    [Fact]
    public void A_wired_page_has_a_wire_count_and_is_on_no_paging_queue()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        var pg = m.MappedPage(p, 0x10000);
        Assert.Equal(1, m.Page(pg).WireCount);
        Assert.Equal(PageQueue.None, m.Page(pg).Queue);
        T.Ok(m.Munlock(p, 0x10000, 2));
        Assert.Equal(0, m.Page(pg).WireCount);
        Assert.Equal(PageQueue.Active, m.Page(pg).Queue);
        m.NoViolations();
    }

    [Fact]
    public void Every_page_is_free_active_inactive_or_wired_except_kernel_loans_with_no_owner()
    {
        var m = T.NewMachine(pages: 64, swap: 64);
        var f = m.CreateFile(8, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 8, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Mmap(p, 0x200000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        for (ulong i = 0; i < 8; i++)
            Assert.True(m.Write(p, 0x10000 + i * S.PG, (byte)i).Ok);
        T.Ok(m.Madvise(p, 0x100000, 8, Advice.Sequential));
        m.Access(p, 0x107000, FaultCase.Lower2A);
        T.Ok(m.Loan(p, 0x10000, 1));
        m.Access(p, 0x10000, FaultCase.Upper1A, write: 9); // breaks the loan: the kernel keeps an owner-less page
        m.PageDaemon(3);
        int free = 0, active = 0, inactive = 0, wired = 0, lentOnly = 0;
        for (int i = 1; i <= m.Mem.NPages; i++)
        {
            var pg = m.Page(new PageId(i));
            switch (pg.Queue)
            {
                case PageQueue.Free: free++; Assert.Equal(0, pg.WireCount); break;
                case PageQueue.Active: active++; Assert.Equal(0, pg.WireCount); break;
                case PageQueue.Inactive: inactive++; Assert.Equal(0, pg.WireCount); break;
                default:
                    if (pg.WireCount > 0) wired++;
                    else { Assert.False(pg.HasOwner); Assert.True(pg.LoanCount > 0); lentOnly++; }
                    break;
            }
        }
        Assert.Equal(64, free + active + inactive + wired + lentOnly);
        Assert.Equal(4, wired);
        Assert.Equal(1, lentOnly);
        Assert.True(inactive > 0);
        Assert.True(active > 0);
        Assert.Equal(m.FreePages, free);
        m.NoViolations();
    }

    [Fact]
    public void Out_of_free_pages_the_promote_runs_the_page_daemon_and_the_fault_restarts_with_fltnoram()
    {
        var m = T.NewMachine(pages: 8, swap: 64);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 8; i++)
            Assert.True(m.Write(p, 0x10000 + i * S.PG, (byte)(0x40 + i)).Ok);
        Assert.Equal(0, m.FreePages);
        m.ResetCounters();
        // uvmfault_promote: no page -> fltnoram++, uvm_wait (the daemon frees FreeTarget pages), ERESTART;
        // the next pass is narrow and succeeds.
        m.Access(p, 0x18000, FaultCase.Lower2B, restarts: 1, neighbors: 0, prot: Prot.ReadWrite, write: 0x48);
        Assert.Equal(1, m.Counters.fltnoram);
        Assert.Equal(0, m.Counters.fltnoanon);
        Assert.Equal(1, m.Counters.flt_przero);
        Assert.Equal(1, m.Counters.faults);
        Assert.Equal(m.FreeTarget - 1, m.FreePages);
        // nothing was lost: the reclaimed pages went to swap
        for (ulong i = 0; i < 9; i++)
            Assert.Equal((byte)(0x40 + i), m.Peek(p, 0x10000 + i * S.PG));
        m.NoViolations();
    }

    [Fact]
    public void Out_of_free_pages_in_anonget_waits_there_and_retries_without_restarting_the_fault()
    {
        var m = T.NewMachine(pages: 8, swap: 64);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 8; i++)
            Assert.True(m.Write(p, 0x10000 + i * S.PG, (byte)(0x40 + i)).Ok);
        T.Ok(m.Pageout(p, 0x10000, 1));
        m.Access(p, 0x18000, FaultCase.Lower2B, restarts: 0, write: 0x48); // takes the last free page
        Assert.Equal(0, m.FreePages);
        m.ResetCounters();
        // 1.208 uvmfault_anonget: no page -> fltnoram++, uvm_wait, relock, fltanretry++ and loop (lines 366-375, 529)
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 0, value: 0x40);
        Assert.Equal(1, m.Counters.fltnoram);
        Assert.Equal(1, m.Counters.pageins);
        Assert.Equal(2, m.Counters.fltanretry);
        Assert.Equal(1, m.Counters.fltanget);
        Assert.Equal(1, m.Counters.majflt);
        m.NoViolations();
    }

    [Fact]
    public void Out_of_free_pages_with_nothing_reclaimable_the_fault_fails_with_ENOMEM()
    {
        var m = T.NewMachine(pages: 4, swap: 0);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 4; i++)
            Assert.True(m.Write(p, 0x10000 + i * S.PG, 1).Ok);
        Assert.Equal(0, m.FreePages);
        var fp = m.Fingerprint();
        m.ResetCounters();
        var r = m.Write(p, 0x14000, 2);
        Assert.Equal(Errno.ENOMEM, r.Error);
        Assert.Equal(FaultCase.Failed, r.Case);
        Assert.Equal(0, r.Restarts);
        Assert.Equal(1, m.Counters.fltnoanon);
        Assert.Equal(0, m.Counters.fltnoram);
        Assert.Equal(0, m.CountMapped(p, 0x14000, 1));
        Assert.Equal(Prot.None, r.ProtAfter);
        m.NoViolations();
    }

    [Fact]
    public void Swap_in_with_no_free_page_and_nothing_reclaimable_is_ENOMEM_after_fltnoram()
    {
        var m = T.NewMachine(pages: 4, swap: 8);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x77);
        T.Ok(m.Pageout(p, 0x10000, 1));
        T.Ok(m.Mmap(p, 0x20000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        Assert.Equal(0, m.FreePages);
        m.ResetCounters();
        var r = m.Read(p, 0x10000);
        Assert.Equal(Errno.ENOMEM, r.Error);
        Assert.Equal(1, m.Counters.fltnoram); // 1.208 line 369: counted before uvm_reclaimable()
        Assert.Equal(1, m.Counters.fltanget);
        Assert.Equal(1, m.Counters.majflt);
        Assert.Equal(0, m.Counters.pageins);
        Assert.Equal(0x77, m.Peek(p, 0x10000)); // still on swap
        m.NoViolations();
    }
}
