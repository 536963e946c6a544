using FaultLab.Core;

namespace FaultLab.Core.Tests;

/// <summary>Exited processes' records are reused without allocation, but never their ids.</summary>
public class ProcessRecordTests
{
    [Fact]
    public void An_exited_process_id_stays_dead_when_its_record_is_reused()
    {
        var m = T.NewMachine();
        var p1 = m.CreateProcess();
        T.Ok(m.Fork(p1, out var child));
        T.Ok(m.Exit(child));
        T.Ok(m.Fork(p1, out var next));
        Assert.NotEqual(child, next);
        Assert.False(m.IsAlive(child));
        Assert.True(m.IsAlive(next));
        Assert.Equal(Errno.EINVAL, m.Mmap(child, 0x10000, 1, Prot.Read, MapKind.AnonPrivate));
        T.Ok(m.Mmap(next, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.NoViolations();
    }

    [Fact]
    public void Fork_and_exit_of_a_child_allocate_nothing_once_warm()
    {
        var m = T.NewMachine(pages: 512);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        for (int i = 0; i < 64; i++)
        {
            T.Ok(m.Fork(p, out var c));
            T.Ok(m.Exit(c));
        }
        long best = long.MaxValue;
        for (int window = 0; window < 3 && best != 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 500; i++)
            {
                m.Fork(p, out var c);
                m.Exit(c);
            }
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, best);
        m.NoViolations();
    }
}
