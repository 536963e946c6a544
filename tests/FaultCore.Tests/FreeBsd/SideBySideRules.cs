using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>
/// SEMANTICS-FREEBSD.md, "Compared with the NetBSD family": the same operations on a machine of each family give
/// the outcomes the table says, and the same bytes.
/// </summary>
public sealed class SideBySideRules
{
    private static (IMachine Net, IMachine Free) Pair(int pages = 256) =>
        (MachineFamily.NetBsd.Create(new MachineConfig { Pages = pages }), MachineFamily.FreeBsd.Create(new MachineConfig { Pages = pages }));

    private static string Name(IMachine m, AccessResult r) =>
        m.Family.OutcomeName(r.Outcome) + (r.Restarts > 0 ? $" restarts={r.Restarts}" : "");

    [Fact]
    public void First_touch_of_anonymous_memory()
    {
        var (n, f) = Pair();
        foreach (var m in new[] { n, f })
        {
            var p = m.CreateProcess();
            Assert.Equal(Errno.OK, m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
            var r = m.Write(p, 0x10000, 1);
            Assert.Equal(m == n ? "2B restarts=1" : "zfod", Name(m, r));
        }
    }

    [Fact]
    public void Soft_refault_maps_neighbours_in_netbsd_and_only_the_page_in_freebsd()
    {
        var (n, f) = Pair();
        foreach (var m in new[] { n, f })
        {
            var file = m.CreateFile(8, resident: true);
            var p = m.CreateProcess();
            Assert.Equal(Errno.OK, m.Mmap(p, 0x40000, 8, Prot.ReadWrite, MapKind.FileShared, file));
            Assert.Equal(Errno.OK, m.Munmap(p, 0x40000, 8));
            Assert.Equal(Errno.OK, m.Mmap(p, 0x40000, 8, Prot.ReadWrite, MapKind.FileShared, file));
            var r = m.Write(p, 0x43000, 1);
            // NetBSD: 2A plus resident neighbours; FreeBSD: premapped read-only, the write is a soft fault alone
            Assert.Equal(m == n ? "2A" : "soft", Name(m, r));
            Assert.Equal(m == n ? 8 : 8, m.CountMapped(p, 0x40000, 8));
            Assert.Equal(m == n ? 7 : 0, r.Detail0);
        }
    }

    [Fact]
    public void Parent_writes_after_the_child_exited()
    {
        var (n, f) = Pair();
        foreach (var m in new[] { n, f })
        {
            var p = m.CreateProcess();
            Assert.Equal(Errno.OK, m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
            m.Write(p, 0x10000, 1);
            Assert.Equal(Errno.OK, m.Fork(p, out var c));
            Assert.Equal(Errno.OK, m.Exit(c));
            var r = m.Write(p, 0x10000, 2);
            // NetBSD: the amap copy only clears needs_copy (am_ref == 1), then 1A in place
            Assert.Equal(m == n ? "1A restarts=1" : "cow", Name(m, r));
        }
        Assert.Equal(1, f.Counter("object_collapses"));
    }

    [Fact]
    public void A_read_after_nested_forks()
    {
        var (n, f) = Pair();
        foreach (var m in new[] { n, f })
        {
            var p = m.CreateProcess();
            Assert.Equal(Errno.OK, m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
            m.Write(p, 0x10000, 0x41);
            var last = p;
            for (int i = 1; i <= 4; i++)
            {
                Assert.Equal(Errno.OK, m.Fork(last, out var c));
                m.Write(c, 0x10000 + (ulong)i * 0x1000, (byte)i); // each generation shadows once more
                last = c;
            }
            var r = m.Read(last, 0x10000);
            Assert.Equal(0x41, r.Value);
            if (m == f)
            {
                Assert.Equal("shadow", Name(m, r));
                Assert.Equal(4, r.Detail0); // four levels down
            }
            else
            {
                Assert.Equal("1A", Name(m, r));
            }
        }
    }

    [Fact]
    public void Warm_private_file_read()
    {
        var (n, f) = Pair();
        foreach (var m in new[] { n, f })
        {
            var file = m.CreateFile(8, resident: true);
            var p = m.CreateProcess();
            Assert.Equal(Errno.OK, m.Mmap(p, 0x40000, 8, Prot.ReadWrite, MapKind.FilePrivate, file));
            var r = m.Read(p, 0x42000);
            Assert.Equal(m == n ? "2A" : "hit", Name(m, r));
            Assert.Equal(2, r.Value);
        }
    }

    [Fact]
    public void Cold_file_read()
    {
        var (n, f) = Pair();
        foreach (var m in new[] { n, f })
        {
            var file = m.CreateFile(16, resident: false);
            var p = m.CreateProcess();
            Assert.Equal(Errno.OK, m.Mmap(p, 0x40000, 16, Prot.Read, MapKind.FileShared, file));
            var r = m.Read(p, 0x44000);
            Assert.Equal(m == n ? 1 : 8, m.CountResident(p, 0x40000, 16));
            Assert.Equal(4, r.Value);
        }
    }
}
