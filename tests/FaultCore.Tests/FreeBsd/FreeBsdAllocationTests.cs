using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>
/// The FreeBSD fault path allocates nothing on the GC heap, on every path, for every outcome and pager: thousands of
/// faults are measured with GC.GetAllocatedBytesForCurrentThread around the faulting call only (set-up steps
/// between them may allocate), after a warm-up that lets the pools reach their working size. One clean window out
/// of three rules out the runtime's own rare allocations on the test thread (see AllocationTests).
/// </summary>
[Collection(nameof(AllocationTests))]
public class FreeBsdAllocationTests
{
    private const int Measured = 1000;

    public static TheoryData<FaultPath> Paths => new(Enum.GetValues<FaultPath>());

    private static long BytesPerRun(Action<int> setup, Func<int, AccessResult> fault, FbsdCase expected, int? io = null) =>
        AllocationMeter.BytesPerRun(setup, fault, (i, r) => Check(i, r, expected, io), Measured);

    private static void Check(int i, AccessResult r, FbsdCase expected, int? io)
    {
        Assert.True(r.Ok, $"iteration {i}: {r.Error}");
        Assert.Equal(expected, r.Case());
        if (io is int n)
            Assert.Equal(n, r.Detail1);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Zero_fill_allocates_nothing(FaultPath path)
    {
        var m = FB.NewMachine(pages: 512, path: path);
        var p = m.CreateProcess();
        long bytes = BytesPerRun(
            i =>
            {
                if (i > 0) FB.Ok(m.Munmap(p, 0x10000, 4));
                FB.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
            },
            i => m.Write(p, 0x10000 + (ulong)(i % 4) * 0x1000, 1),
            FbsdCase.Zfod);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Soft_refault_allocates_nothing(FaultPath path)
    {
        var m = FB.NewMachine(pages: 512, path: path);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        for (int i = 0; i < 16; i++)
            m.Write(p, 0x10000 + (ulong)i * 0x1000, 1);
        long bytes = BytesPerRun(
            _ => { FB.Ok(m.Mprotect(p, 0x10000, 16, Prot.None)); FB.Ok(m.Mprotect(p, 0x10000, 16, Prot.ReadWrite)); },
            i => m.Read(p, 0x10000 + (ulong)(i % 16) * 0x1000),
            FbsdCase.Soft);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Copy_on_write_after_fork_with_its_shadow_and_collapse_allocates_nothing(FaultPath path)
    {
        var m = FB.NewMachine(pages: 512, path: path);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 7);
        ProcId child = default;
        long bytes = BytesPerRun(
            _ => { if (child.Value != 0) FB.Ok(m.Exit(child)); FB.Ok(m.Fork(p, out child)); },
            _ => m.Write(child, 0x10000, 8),
            FbsdCase.Cow);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Shadow_read_down_the_chain_allocates_nothing(FaultPath path)
    {
        var m = FB.NewMachine(pages: 512, path: path);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 7);
        ProcId child = default;
        long bytes = BytesPerRun(
            _ =>
            {
                if (child.Value != 0) FB.Ok(m.Exit(child));
                FB.Ok(m.Fork(p, out child));
                m.Write(child, 0x11000, 1);
            },
            _ => m.Read(child, 0x10000),
            FbsdCase.Shadow);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Clustered_vnode_page_in_allocates_nothing(FaultPath path)
    {
        var m = FB.NewMachine(pages: 512, path: path);
        var f = m.CreateFile(16, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x100000, 16, Prot.Read, MapKind.FileShared, f));
        long bytes = BytesPerRun(
            _ => FB.Ok(m.Pageout(p, 0x100000, 16)),
            _ => m.Read(p, 0x108000),
            FbsdCase.Soft, io: 8);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Swap_in_allocates_nothing(FaultPath path)
    {
        var m = FB.NewMachine(pages: 512, swap: 64, path: path);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        for (int i = 0; i < 4; i++)
            m.Write(p, 0x10000 + (ulong)i * 0x1000, (byte)i);
        long bytes = BytesPerRun(
            i => FB.Ok(m.Pageout(p, 0x10000 + (ulong)(i % 4) * 0x1000, 1)),
            i => m.Read(p, 0x10000 + (ulong)(i % 4) * 0x1000),
            FbsdCase.Soft, io: 1);
        Assert.Equal(0, bytes);
        m.NoViolations();
    }
}
