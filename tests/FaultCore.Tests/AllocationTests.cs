using FaultLab.Core;

namespace FaultLab.Core.Tests;

/// <summary>
/// The fault path allocates nothing on the GC heap, on every path (generic, specialized, monomorphized): for every fault case, thousands of faults are measured
/// with GC.GetAllocatedBytesForCurrentThread around the faulting call only (set-up steps between them may
/// allocate), after a warm-up that lets the pools reach their working size outside the measured window.
/// The tests run alone (no other test allocating on another thread meanwhile).
/// </summary>
[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    public static TheoryData<FaultPath> Paths => new(Enum.GetValues<FaultPath>());
    private const int Measured = 2000;

    private static long BytesPerRun(Action<int> setup, Func<int, AccessResult> fault, FaultCase expected) =>
        AllocationMeter.BytesPerRun(setup, fault, (i, r) => Check(i, r, expected), Measured);

    private static void Check(int i, AccessResult r, FaultCase expected)
    {
        Assert.True(r.Ok, $"iteration {i}: {r.Error}");
        Assert.Equal(expected, r.Case);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Case_1A_soft_refault_of_a_resident_anon_allocates_nothing(FaultPath path)
    {
        var m = T.NewMachine(pages: 512, path: path);
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

    [Theory]
    [MemberData(nameof(Paths))]
    public void Case_1B_copy_on_write_after_fork_allocates_nothing(FaultPath path)
    {
        var m = T.NewMachine(pages: 512, path: path);
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

    [Theory]
    [MemberData(nameof(Paths))]
    public void Case_2A_object_page_fault_with_neighbours_allocates_nothing(FaultPath path)
    {
        var m = T.NewMachine(pages: 512, path: path);
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

    [Theory]
    [MemberData(nameof(Paths))]
    public void Case_2B_copy_of_a_private_file_page_allocates_nothing(FaultPath path)
    {
        var m = T.NewMachine(pages: 512, path: path);
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
        Assert.True(m.Counters.flt_prcopy >= AllocationMeter.Warmup + Measured);
        m.NoViolations();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Case_2B_zero_fill_allocates_nothing(FaultPath path)
    {
        var m = T.NewMachine(pages: 512, path: path);
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
        Assert.True(m.Counters.flt_przero >= AllocationMeter.Warmup + Measured);
        m.NoViolations();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Swap_in_of_a_paged_out_anon_allocates_nothing(FaultPath path)
    {
        var m = T.NewMachine(pages: 512, path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 0x5a);
        long bytes = BytesPerRun(
            _ => T.Ok(m.Pageout(p, 0x10000, 1)),
            _ => m.Read(p, 0x10000),
            FaultCase.Upper1A);
        Assert.Equal(0, bytes);
        Assert.True(m.Counters.pageins >= AllocationMeter.Warmup + Measured);
        Assert.Equal(0x5a, m.Peek(p, 0x10000));
        m.NoViolations();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Write_breaking_a_loan_allocates_nothing(FaultPath path)
    {
        var m = T.NewMachine(pages: 512, path: path);
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

    [Theory]
    [MemberData(nameof(Paths))]
    public void Wiring_faults_of_mlock_allocate_nothing(FaultPath path)
    {
        var m = T.NewMachine(pages: 512, path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        long best = AllocationMeter.BytesPerRun(
            i =>
            {
                if (i > 0)
                {
                    T.Ok(m.Munlock(p, 0x10000, 16));
                    T.Ok(m.Pageout(p, 0x10000, 16)); // so the next mlock must fault every page in again
                }
            },
            _ => m.Mlock(p, 0x10000, 16),
            (_, error) => T.Ok(error),
            Measured / 16);
        Assert.Equal(0, best);
        Assert.Equal(16, m.CountWired(p, 0x10000, 16));
        m.NoViolations();
    }
}

/// <summary>Runs the allocation tests with no other test in parallel.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsCollection;
