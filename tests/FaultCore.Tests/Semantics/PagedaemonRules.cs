using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": pagedaemon.</summary>
public sealed class PagedaemonRules
{
    [Fact]
    public void Page_daemon_frees_up_to_N_pages_and_reports_how_many()
    {
        var m = T.NewMachine(pages: 64, swap: 64);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 10, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 10; i++)
            m.Write(p, 0x10000 + i * S.PG, (byte)i);
        int free = m.FreePages;
        Assert.Equal(3, m.PageDaemon(3));
        Assert.Equal(free + 3, m.FreePages);
        Assert.Equal(7, m.PageDaemon(100));
        Assert.Equal(64, m.FreePages);
        Assert.Equal(0, m.PageDaemon(5));
        Assert.Equal(0, m.PageDaemon(0));
        for (ulong i = 0; i < 10; i++)
            Assert.Equal((byte)i, m.Peek(p, 0x10000 + i * S.PG));
        m.NoViolations();
    }

    [Fact]
    public void Page_daemon_never_frees_wired_or_loaned_pages_and_loses_no_data()
    {
        var m = T.NewMachine(pages: 48, swap: 64);
        var f = m.CreateFile(6, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x20000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        T.Ok(m.Mmap(p, 0x100000, 6, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Mmap(p, 0x30000, 2, Prot.ReadWrite, MapKind.AnonShared));
        for (ulong i = 0; i < 8; i++)
            m.Write(p, 0x10000 + i * S.PG + i, (byte)(0x80 + i));
        for (ulong i = 0; i < 4; i++)
            m.Write(p, 0x20000 + i * S.PG, (byte)(0x90 + i));
        for (ulong i = 0; i < 6; i++)
            m.Write(p, 0x100000 + i * S.PG + 7, (byte)(0xa0 + i));
        m.Write(p, 0x30000, 0xb0);
        m.Write(p, 0x31000, 0xb1);
        T.Ok(m.Fork(p, out var c));
        T.Ok(m.Loan(p, 0x10000, 2));
        T.Ok(m.Loan(p, 0x100000, 1));
        var wired = Enumerable.Range(0, 4).Select(i => m.MappedPage(p, 0x20000 + (ulong)i * S.PG)).ToArray();
        var lent = m.Loans.Select(l => l.Page).ToArray();
        int freed = m.PageDaemon(1000);
        Assert.True(freed > 0);
        foreach (var pg in wired)
        {
            Assert.Equal(1, m.Page(pg).WireCount);
            Assert.NotEqual(PageQueue.Free, m.Page(pg).Queue);
        }
        Assert.Equal(4, m.CountWired(p, 0x20000, 4));
        foreach (var pg in lent)
        {
            Assert.Equal(1, m.Page(pg).LoanCount);
            Assert.True(m.Page(pg).HasOwner);
        }
        Assert.Equal(2, m.CountResident(p, 0x10000, 8)); // the lent anon pages
        Assert.Equal(48 - 4 - 3, m.FreePages); // all but the wired and the lent pages (the child's copies are not wired)
        for (ulong i = 0; i < 8; i++)
        {
            Assert.Equal((byte)(0x80 + i), m.Read(p, 0x10000 + i * S.PG + i).Value);
            Assert.Equal((byte)(0x80 + i), m.Read(c, 0x10000 + i * S.PG + i).Value);
        }
        for (ulong i = 0; i < 4; i++)
            Assert.Equal((byte)(0x90 + i), m.Read(c, 0x20000 + i * S.PG).Value);
        for (ulong i = 0; i < 6; i++)
        {
            Assert.Equal((byte)(0xa0 + i), m.Read(c, 0x100000 + i * S.PG + 7).Value);
            if (i > 0)
                Assert.Equal((byte)(0xa0 + i), m.Obj(f).File.Page((int)i)[7]); // written back
        }
        Assert.Equal(0xb1, m.Read(c, 0x31000).Value);
        m.NoViolations();
    }

    [Fact]
    public void Page_daemon_keeps_anon_pages_when_swap_is_full()
    {
        var m = T.NewMachine(pages: 16, swap: 0);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        for (ulong i = 0; i < 4; i++)
            m.Write(p, 0x10000 + i * S.PG, (byte)(i + 1));
        Assert.Equal(0, m.PageDaemon(10));
        Assert.Equal(4, m.CountResident(p, 0x10000, 4));
        Assert.Equal(3, m.Peek(p, 0x12000));
        m.NoViolations();
    }
}
