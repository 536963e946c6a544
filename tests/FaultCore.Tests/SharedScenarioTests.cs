using FaultLab.Core;

namespace FaultLab.Core.Tests;

/// <summary>The worked examples of SCENARIOS.md, written against the API (the scenario runner runs the files too).</summary>
public class SharedScenarioTests
{
    [Fact]
    public void First_touch_of_private_anon_copies_the_amap_then_zero_fills()
    {
        var m = T.NewMachine();
        var p1 = m.CreateProcess();
        T.Ok(m.Mmap(p1, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p1, 0x10000, FaultCase.Lower2B, restarts: 1, neighbors: 0, prot: Prot.ReadWrite, value: 0);
        m.Access(p1, 0x10000, FaultCase.Hit, write: 0x2a);
        m.Access(p1, 0x13000, FaultCase.Lower2B, restarts: 0, neighbors: 0, prot: Prot.ReadWrite, write: 0x2b);
        Assert.Equal(1, m.Counters.fltamcopy);
        Assert.Equal(2, m.Counters.flt_przero);
        Assert.Equal(2, m.CountMapped(p1, 0x10000, 8));
        Assert.Equal(0x2a, m.Peek(p1, 0x10000));
        Assert.Equal(0, m.Peek(p1, 0x11000));
        m.NoViolations();
    }

    [Fact]
    public void Fork_then_child_write_copies_the_shared_anon()
    {
        var m = T.NewMachine();
        var p1 = m.CreateProcess();
        T.Ok(m.Mmap(p1, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p1, 0x10000, FaultCase.Lower2B, restarts: 1, neighbors: 0, prot: Prot.ReadWrite, write: 0x41);
        T.Ok(m.Fork(p1, out var p2));
        Assert.Equal(Prot.Read, m.MappedProt(p1, 0x10000));
        Assert.Equal(0, m.CountMapped(p2, 0x10000, 4));
        m.Access(p2, 0x10000, FaultCase.Upper1B, restarts: 1, neighbors: 0, prot: Prot.ReadWrite, write: 0x42);
        m.Access(p1, 0x10000, FaultCase.Hit, value: 0x41);
        m.Access(p2, 0x10000, FaultCase.Hit, value: 0x42);
        Assert.Equal(1, m.Counters.flt_acow);
        Assert.Equal(2, m.Counters.fltamcopy);
        m.NoViolations();
    }

    [Fact]
    public void Private_file_read_maps_neighbours_and_first_write_copies()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(16, resident: true);
        var p1 = m.CreateProcess();
        T.Ok(m.Mmap(p1, 0x100000, 16, Prot.Read, MapKind.FilePrivate, f));
        m.Access(p1, 0x104000, FaultCase.Lower2A, restarts: 0, neighbors: 7, prot: Prot.Read, value: 4);
        Assert.Equal(8, m.CountMapped(p1, 0x100000, 16));
        T.Ok(m.Mprotect(p1, 0x100000, 16, Prot.ReadWrite));
        Assert.Equal(Prot.Read, m.MappedProt(p1, 0x104000));
        m.Access(p1, 0x104000, FaultCase.Lower2B, restarts: 1, neighbors: 0, prot: Prot.ReadWrite, write: 0x99);
        Assert.Equal(1, m.Counters.flt_prcopy);
        Assert.Equal(0x99, m.Peek(p1, 0x104000));
        Assert.Equal(0x05, m.Peek(p1, 0x104001));
        m.NoViolations();
    }

    [Fact]
    public void Sequential_advice_drops_the_back_pages()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(32, resident: true);
        var p1 = m.CreateProcess();
        T.Ok(m.Mmap(p1, 0x200000, 32, Prot.Read, MapKind.FilePrivate, f));
        T.Ok(m.Madvise(p1, 0x200000, 32, Advice.Sequential));
        m.Access(p1, 0x20a000, FaultCase.Lower2A, neighbors: 7, value: 10);
        m.Access(p1, 0x212000, FaultCase.Lower2A, neighbors: 7, value: 18);
        Assert.Equal(16, m.CountMapped(p1, 0x200000, 32));
        m.NoViolations();
    }

    [Fact]
    public void Mlock_wires_with_narrow_faults_and_copies_the_amap_itself()
    {
        var m = T.NewMachine();
        var p1 = m.CreateProcess();
        T.Ok(m.Mmap(p1, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mlock(p1, 0x10000, 4));
        Assert.Equal(4, m.CountWired(p1, 0x10000, 4));
        Assert.Equal(4, m.Counters.flt_przero);
        Assert.Equal(0, m.Counters.fltamcopy);
        Assert.Equal(0, m.Counters.fltnamap);
        m.Access(p1, 0x12000, FaultCase.Hit, write: 1);
        T.Ok(m.Munlock(p1, 0x10000, 4));
        Assert.Equal(0, m.CountWired(p1, 0x10000, 4));
        Assert.Equal(4, m.CountMapped(p1, 0x10000, 4));
        m.NoViolations();
    }

    [Fact]
    public void Bad_accesses_and_requests_get_their_errno()
    {
        var m = T.NewMachine();
        var p1 = m.CreateProcess();
        Assert.Equal(Errno.EFAULT, m.Read(p1, 0x5000).Error);
        T.Ok(m.Mmap(p1, 0x10000, 2, Prot.Read, MapKind.AnonPrivate));
        Assert.Equal(Errno.EINVAL, m.Mmap(p1, 0x11000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Errno.EFAULT, m.Write(p1, 0x10000, 1).Error);
        m.Access(p1, 0x10000, FaultCase.Lower2B, restarts: 1, prot: Prot.Read, value: 0);
        T.Ok(m.Munmap(p1, 0x10000, 2));
        Assert.Equal(Errno.EFAULT, m.Read(p1, 0x10000).Error);
        Assert.Equal(4, m.Counters.faults);
        m.NoViolations();
    }
}
