using FaultLab.Core;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>Model bugs the checker found, kept as regression tests (shrunk reproductions, as plain calls).</summary>
public class ModelBugTests
{
    // faultlab fuzz --seed 1: run seed 8236577428452978501, shrunk. Loan collects the pages of the range one fault
    // at a time and lends them only after the last fault; a later fault that has to reclaim (here: out of
    // page-table pages, so uvm_wait → page daemon) freed pages collected earlier, which were then lent while free.
    // Fixed on main by 903c569 (lend each page as soon as loan brings it in).
    [Fact]
    public void Loan_never_lends_a_page_freed_by_its_own_later_faults()
    {
        var m = new Machine(new MachineConfig { Pages = 221, SwapSlots = 328, PageTablePages = 7 });
        var f2 = m.CreateFile(11, resident: true);
        var p1 = m.CreateProcess();
        var p2 = m.CreateProcess();
        Assert.Equal(Errno.OK, m.Mmap(p2, 0x1f9000, 5, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Errno.OK, m.Fork(p2, out var p4));
        Assert.Equal(Errno.OK, m.Fork(p4, out var p6));
        Assert.Equal(Errno.OK, m.Mmap(p4, 0x1fe000, 3, Prot.Read, MapKind.FilePrivate, f2));
        Assert.Equal(Errno.OK, m.Mlock(p6, 0x1fa000, 1));
        Assert.Equal(Errno.OK, m.Exit(p1));

        m.Loan(p4, 0x1fc000, 5);

        Assert.Empty(m.CheckInvariants());                 // was: "pgN: free but owned, wired or lent" (x4)
    }
}
