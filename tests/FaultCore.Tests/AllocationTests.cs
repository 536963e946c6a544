using FaultLab.Core;

namespace FaultLab.Core.Tests;

/// <summary>
/// The fault path allocates nothing on the GC heap: for every fault case, thousands of faults are measured
/// with GC.GetAllocatedBytesForCurrentThread around the faulting call only (set-up steps between them may
/// allocate), after a warm-up that lets the pools reach their working size outside the measured window.
/// </summary>
public class AllocationTests
{
    private const int Warmup = 64;
    private const int Measured = 2000;

    /// <summary>Runs <paramref name="setup"/> then measures <paramref name="fault"/>; returns the bytes the faults allocated.</summary>
    private static long BytesPerRun(Action<int> setup, Func<int, AccessResult> fault, FaultCase expected)
    {
        long total = 0;
        for (int i = 0; i < Warmup + Measured; i++)
        {
            setup(i);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var r = fault(i);
            long after = GC.GetAllocatedBytesForCurrentThread();
            Assert.True(r.Ok, $"iteration {i}: {r.Error}");
            Assert.Equal(expected, r.Case);
            if (i >= Warmup)
                total += after - before;
        }
        return total;
    }

    [Fact]
    public void Case_1A_soft_refault_of_a_resident_anon_allocates_nothing()
    {
        var m = T.NewMachine(pages: 512);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        for (int i = 0; i < 16; i++)
            m.Write(p, 0x10000 + (ulong)i * 0x1000, 1);
        long bytes = BytesPerRun(
            _ => { T.Ok(m.Mprotect(p, 0x10000, 16, Prot.None)); T.Ok(m.Mprotect(p, 0x10000, 16, Prot.ReadWrite)); },
            i => m.Read(p, 0x10000 + (ulong)(i % 16) * 0x1000),
            FaultCase.Upper1A);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Fact]
    public void Case_1B_copy_on_write_after_fork_allocates_nothing()
    {
        var m = T.NewMachine(pages: 512);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 7);
        ProcId child = default;
        long bytes = BytesPerRun(
            _ => { if (child.Value != 0) T.Ok(m.Exit(child)); T.Ok(m.Fork(p, out child)); },
            _ => m.Write(child, 0x10000, 8),
            FaultCase.Upper1B);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Fact]
    public void Case_2A_object_page_fault_with_neighbours_allocates_nothing()
    {
        var m = T.NewMachine(pages: 512);
        var f = m.CreateFile(64, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 64, Prot.Read, MapKind.FileShared, f));
        long bytes = BytesPerRun(
            _ => { T.Ok(m.Mprotect(p, 0x100000, 64, Prot.None)); T.Ok(m.Mprotect(p, 0x100000, 64, Prot.Read)); },
            i => m.Read(p, 0x100000 + (ulong)(i % 64) * 0x1000),
            FaultCase.Lower2A);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Fact]
    public void Case_2B_copy_of_a_private_file_page_allocates_nothing()
    {
        var m = T.NewMachine(pages: 512);
        var f = m.CreateFile(8, resident: true);
        var p = m.CreateProcess();
        long bytes = BytesPerRun(
            i =>
            {
                if (i > 0) T.Ok(m.Munmap(p, 0x100000, 8));
                T.Ok(m.Mmap(p, 0x100000, 8, Prot.ReadWrite, MapKind.FilePrivate, f));
            },
            i => m.Write(p, 0x100000 + (ulong)(i % 8) * 0x1000, 9),
            FaultCase.Lower2B);
        Assert.Equal(0, bytes);
        Assert.Equal(Warmup + Measured, m.Counters.flt_prcopy);
        m.NoViolations();
    }

    [Fact]
    public void Case_2B_zero_fill_allocates_nothing()
    {
        var m = T.NewMachine(pages: 512);
        var p = m.CreateProcess();
        long bytes = BytesPerRun(
            i =>
            {
                if (i > 0) T.Ok(m.Munmap(p, 0x10000, 8));
                T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
            },
            i => m.Write(p, 0x10000 + (ulong)(i % 8) * 0x1000, 3),
            FaultCase.Lower2B);
        Assert.Equal(0, bytes);
        Assert.Equal(Warmup + Measured, m.Counters.flt_przero);
        m.NoViolations();
    }

    [Fact]
    public void Swap_in_of_a_paged_out_anon_allocates_nothing()
    {
        var m = T.NewMachine(pages: 512);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 0x5a);
        long bytes = BytesPerRun(
            _ => T.Ok(m.Pageout(p, 0x10000, 1)),
            _ => m.Read(p, 0x10000),
            FaultCase.Upper1A);
        Assert.Equal(0, bytes);
        Assert.Equal(Warmup + Measured, m.Counters.pageins);
        Assert.Equal(0x5a, m.Peek(p, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Write_breaking_a_loan_allocates_nothing()
    {
        var m = T.NewMachine(pages: 512);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        long bytes = BytesPerRun(
            i =>
            {
                if (i > 0) T.Ok(m.Unloan(p, 0x10000, 1));
                T.Ok(m.Loan(p, 0x10000, 1));
            },
            i => m.Write(p, 0x10000, (byte)i),
            FaultCase.Upper1A);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Fact]
    public void Wiring_faults_of_mlock_allocate_nothing()
    {
        var m = T.NewMachine(pages: 512);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        long total = 0;
        for (int i = 0; i < Warmup + Measured / 16; i++)
        {
            if (i > 0)
            {
                T.Ok(m.Munlock(p, 0x10000, 16));
                T.Ok(m.Pageout(p, 0x10000, 16)); // so the next mlock must fault every page in again
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = m.Mlock(p, 0x10000, 16);
            long after = GC.GetAllocatedBytesForCurrentThread();
            T.Ok(error);
            if (i >= Warmup)
                total += after - before;
        }
        Assert.Equal(0, total);
        Assert.Equal(16, m.CountWired(p, 0x10000, 16));
        m.NoViolations();
    }
}
