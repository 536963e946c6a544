using FaultLab.Core;
using FaultLab.Workloads.Checking;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>The oracle on hand-written sequences: the copy-on-write rules it must encode.</summary>
public class OracleTests
{
    const ulong A = 0x10000;
    const ulong Vpn = A >> 12;

    readonly Oracle oracle = new();
    readonly OracleProcess p1;

    public OracleTests() => p1 = oracle.AddProcess("p1", new ProcId(1));

    static byte Read(OracleProcess p, ulong addr) => Oracle.SlotAt(p, addr)!.Primary.Get(Oracle.Offset(addr));
    static void Write(OracleProcess p, ulong addr, byte v) => Oracle.Write(Oracle.SlotAt(p, addr)!, Oracle.Offset(addr), v);

    [Fact]
    public void Private_anon_reads_zero_until_written()
    {
        oracle.Map(p1, Vpn, 4, Prot.ReadWrite, MapKind.AnonPrivate, null, 0);
        Assert.Equal(0, Read(p1, A + 0x1005));
        Write(p1, A + 0x1005, 0x41);
        Assert.Equal(0x41, Read(p1, A + 0x1005));
        Assert.Equal(0, Read(p1, A + 0x1006));
    }

    [Fact]
    public void Fork_gives_the_child_a_copy_on_write_snapshot()
    {
        oracle.Map(p1, Vpn, 2, Prot.ReadWrite, MapKind.AnonPrivate, null, 0);
        Write(p1, A, 0x41);
        var p2 = oracle.Fork(p1, "p2", new ProcId(2));
        Assert.Equal(0x41, Read(p2, A));
        Write(p2, A, 0x42);
        Write(p1, A + 0x1000, 0x43);
        Assert.Equal(0x41, Read(p1, A));
        Assert.Equal(0x42, Read(p2, A));
        Assert.Equal(0, Read(p2, A + 0x1000));
    }

    [Fact]
    public void Shared_anon_is_the_same_memory_in_parent_and_child()
    {
        oracle.Map(p1, Vpn, 2, Prot.ReadWrite, MapKind.AnonShared, null, 0);
        var p2 = oracle.Fork(p1, "p2", new ProcId(2));
        Write(p2, A + 7, 0x99);
        Assert.Equal(0x99, Read(p1, A + 7));
        Write(p1, A + 0x1000, 0x11);
        Assert.Equal(0x11, Read(p2, A + 0x1000));
        oracle.Unmap(p1, Vpn, 2);
        Assert.Equal(0x99, Read(p2, A + 7));            // the child's mapping survives the parent's munmap
    }

    [Fact]
    public void A_file_holds_i_plus_k_at_byte_k_of_page_i()
    {
        var f = oracle.AddFile("f", 8);
        oracle.Map(p1, Vpn, 4, Prot.Read, MapKind.FileShared, f, 3);
        Assert.Equal(3, Read(p1, A));
        Assert.Equal((5 + 0xff) & 0xff, Read(p1, A + 0x2fff));
    }

    [Fact]
    public void A_shared_file_write_shows_through_unwritten_private_pages_only()
    {
        var f = oracle.AddFile("f", 4);
        var writer = oracle.AddProcess("w", new ProcId(2));
        oracle.Map(writer, Vpn, 4, Prot.ReadWrite, MapKind.FileShared, f, 0);
        oracle.Map(p1, Vpn, 4, Prot.ReadWrite, MapKind.FilePrivate, f, 0);
        Write(p1, A + 0x1000 + 9, 0x55);                  // page 1 becomes a private copy

        Write(writer, A + 5, 0xa0);                       // page 0: unwritten in p1
        Write(writer, A + 0x1000 + 5, 0xa1);              // page 1: written in p1

        Assert.Equal(0xa0, Read(p1, A + 5));
        Assert.Equal(1 + 5, Read(p1, A + 0x1000 + 5));   // the copy kept the file's old byte
        Assert.Equal(0x55, Read(p1, A + 0x1000 + 9));
        Assert.Equal(0xa1, Read(writer, A + 0x1000 + 5)); // the file did change
    }

    [Fact]
    public void Mlock_of_a_private_file_range_snapshots_every_page()
    {
        var f = oracle.AddFile("f", 4);
        var writer = oracle.AddProcess("w", new ProcId(2));
        oracle.Map(writer, Vpn, 4, Prot.ReadWrite, MapKind.FileShared, f, 0);
        oracle.Map(p1, Vpn, 4, Prot.Read, MapKind.FilePrivate, f, 0);
        oracle.Lock(p1, Vpn + 1, 2, succeeded: true);     // pages 1 and 2

        foreach (var page in new ulong[] { 0, 1, 2, 3 }) Write(writer, A + page * 0x1000, 0xee);

        Assert.Equal(0xee, Read(p1, A));
        Assert.Equal(1, Read(p1, A + 0x1000));
        Assert.Equal(2, Read(p1, A + 0x2000));
        Assert.Equal(0xee, Read(p1, A + 0x3000));
    }

    [Fact]
    public void A_failed_mlock_leaves_two_candidates_until_a_read_tells()
    {
        var f = oracle.AddFile("f", 1);
        var writer = oracle.AddProcess("w", new ProcId(2));
        oracle.Map(writer, Vpn, 1, Prot.ReadWrite, MapKind.FileShared, f, 0);
        oracle.Map(p1, Vpn, 1, Prot.Read, MapKind.FilePrivate, f, 0);
        oracle.Lock(p1, Vpn, 1, succeeded: false);
        Write(writer, A, 0xee);
        var s = Oracle.SlotAt(p1, A)!;

        Assert.False(Oracle.Observe(s, 0, 0x12));          // neither the copy (0) nor the file (0xee)
        Assert.True(Oracle.Observe(s, 0, 0));              // it was copied: resolves
        Assert.False(Oracle.Observe(s, 0, 0xee));
    }

    [Fact]
    public void Munmap_forgets_and_a_new_mapping_starts_afresh()
    {
        oracle.Map(p1, Vpn, 2, Prot.ReadWrite, MapKind.AnonPrivate, null, 0);
        Write(p1, A, 0x41);
        oracle.Unmap(p1, Vpn, 1);
        Assert.Null(Oracle.SlotAt(p1, A));
        Assert.Equal(Coverage.Partial, Oracle.Cover(p1, Vpn, 2));
        oracle.Map(p1, Vpn, 1, Prot.ReadWrite, MapKind.AnonPrivate, null, 0);
        Assert.Equal(0, Read(p1, A));
    }
}
