using FaultLab.Core;
using FaultLab.Workloads.Checking;

namespace FaultLab.Workloads.Tests.Checking;

public class OpPrintingTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { Print(new MmapOp("p1", 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate, null, 0, false)), "p1 mmap 0x10000 4 rw anon private" },
        { Print(new MmapOp("p2", 0x20000, 2, Prot.None, MapKind.AnonShared, null, 0, true)), "p2 mmap 0x20000 2 none anon shared wired" },
        { Print(new MmapOp("p1", 0x100000, 16, Prot.Read, MapKind.FilePrivate, "data", 0, false)), "p1 mmap 0x100000 16 r file=data private" },
        { Print(new MmapOp("p1", 0x11000, 3, Prot.Read, MapKind.FileShared, "f2", 5, false)), "p1 mmap 0x11000 3 r file=f2@5 shared" },
        { Print(new RangeOp("p1", RangeVerb.Munmap, 0x10000, 2)), "p1 munmap 0x10000 2" },
        { Print(new RangeOp("p1", RangeVerb.Mlock, 0x10000, 2)), "p1 mlock 0x10000 2" },
        { Print(new RangeOp("p1", RangeVerb.Munlock, 0x10000, 2)), "p1 munlock 0x10000 2" },
        { Print(new RangeOp("p1", RangeVerb.Loan, 0x10000, 1)), "p1 loan 0x10000 1" },
        { Print(new RangeOp("p1", RangeVerb.Unloan, 0x10000, 1)), "p1 unloan 0x10000 1" },
        { Print(new RangeOp("p3", RangeVerb.Pageout, 0x10000, 8)), "pageout p3 0x10000 8" },
        { Print(new MprotectOp("p1", 0x10000, 4, Prot.Read)), "p1 mprotect 0x10000 4 r" },
        { Print(new MadviseOp("p1", 0x10000, 4, Advice.Sequential)), "p1 madvise 0x10000 4 sequential" },
        { Print(new ForkOp("p1", "p4")), "p1 fork p4" },
        { Print(new ExitOp("p4")), "p4 exit" },
        { Print(new ReadOp("p1", 0x10fff)), "p1 read 0x10fff" },
        { Print(new WriteOp("p2", 0x10000, 0x41)), "p2 write 0x10000 0x41" },
        { Print(new PagedaemonOp(12)), "pagedaemon 12" },
        { Print(new ResetCountersOp()), "reset counters" },
    };

    static string Print(Op op) => op.ToScenario();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Operations_print_as_scenario_statements(string printed, string expected) => Assert.Equal(expected, printed);

    [Fact]
    public void A_run_prints_as_a_scenario_with_header_outcomes_and_the_violation()
    {
        var setup = new RunSetup(64, 16, 3, [new FileSpec("f1", 4, true), new FileSpec("f2", 2, false)], ["p1"]);
        Op[] ops =
        [
            new MmapOp("p1", 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate, null, 0, false),
            new MmapOp("p1", 0x11000, 1, Prot.Read, MapKind.AnonPrivate, null, 0, false),
            new ReadOp("p1", 0x10000),
        ];
        var lines = ModelChecker.ToScenario(setup, ops, [null, Errno.EINVAL, null], new Violation("value", 2, "boom"));

        Assert.Equal(
        [
            "machine pages=64 swap=16",
            "# checker: MachineConfig.PageTablePages = 3 (not expressible in a scenario)",
            "file f1 pages=4 resident",
            "file f2 pages=2",
            "proc p1",
            "p1 mmap 0x10000 2 rw anon private",
            "p1 mmap 0x11000 1 r anon private => EINVAL",
            "p1 read 0x10000",
            "# checker: step 3: value: boom",
        ], lines);
    }
}
