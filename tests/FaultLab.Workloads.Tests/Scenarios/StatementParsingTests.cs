using FaultLab.Core;
using FaultLab.Workloads.Scenarios;
using static FaultLab.Workloads.Tests.Scenarios.ParserTestSupport;

namespace FaultLab.Workloads.Tests.Scenarios;

public class StatementParsingTests
{
    private const string P1 = "proc p1\n";

    [Fact]
    public void Machine_without_settings_leaves_the_defaults()
    {
        var machine = Assert.IsType<MachineStatement>(Assert.Single(Valid("machine")));

        Assert.Null(machine.Pages);
        Assert.Null(machine.SwapSlots);
    }

    [Fact]
    public void Machine_takes_pages_and_swap_in_any_order()
    {
        var machine = Assert.IsType<MachineStatement>(Assert.Single(Valid("machine swap=0x10 pages=256")));

        Assert.Equal(256, machine.Pages);
        Assert.Equal(16, machine.SwapSlots);
    }

    [Fact]
    public void Machine_names_its_family_and_the_runner_makes_a_machine_of_it()
    {
        var scenario = ScenarioParser.Parse("t.flt", "machine family=netbsd pages=8");
        var machine = Assert.IsType<MachineStatement>(Assert.Single(scenario.Statements));

        Assert.Same(MachineFamily.NetBsd, machine.Family);
        Assert.Same(MachineFamily.NetBsd, scenario.Family);
        Assert.Same(MachineFamily.NetBsd, ScenarioParser.Parse("t.flt", "machine pages=8").Family); // the default
        Assert.Same(MachineFamily.NetBsd, ScenarioRunner.Run(scenario).Family);
        Assert.Equal("machine pages=8 family=netbsd", StatementText.Format(machine));
        Assert.Null(Assert.IsType<MachineStatement>(Assert.Single(Valid("machine"))).Family);
    }

    [Fact]
    public void Machine_may_follow_comments_and_blank_lines()
    {
        Assert.IsType<MachineStatement>(Assert.Single(Valid("# a scenario\n\nmachine pages=8")));
    }

    [Fact]
    public void File_takes_its_size_and_optional_residency()
    {
        var plain = Last<FileStatement>("file data pages=16");
        var resident = Last<FileStatement>("file log pages=32 resident");

        Assert.Equal(("data", 16, false), (plain.File.Text, plain.Pages, plain.Resident));
        Assert.Equal(("log", 32, true), (resident.File.Text, resident.Pages, resident.Resident));
    }

    [Fact]
    public void Proc_defines_a_process()
    {
        Assert.Equal("_p1", Last<ProcStatement>("proc _p1").Proc.Text);
    }

    [Theory]
    [InlineData("p1 mmap 0x10000 4 rw anon private", MapKind.AnonPrivate, Prot.ReadWrite, false)]
    [InlineData("p1 mmap 0x10000 4 r anon shared", MapKind.AnonShared, Prot.Read, false)]
    [InlineData("p1 mmap 0x10000 4 none anon private wired", MapKind.AnonPrivate, Prot.None, true)]
    public void Mmap_of_anonymous_memory(string line, MapKind kind, Prot prot, bool wired)
    {
        var mmap = Last<MmapStatement>(P1 + line);

        Assert.Equal((0x10000UL, 4, prot, kind, wired), (mmap.Address, mmap.Pages, mmap.Prot, mmap.Kind, mmap.Wired));
        Assert.Null(mmap.File);
        Assert.Equal(0, mmap.PageOffset);
    }

    [Theory]
    [InlineData("p1 mmap 0x100000 16 r file=data private", MapKind.FilePrivate, 0)]
    [InlineData("p1 mmap 0x100000 16 rw file=data@3 shared", MapKind.FileShared, 3)]
    [InlineData("p1 mmap 0x100000 16 rw file=data@0x10 shared wired", MapKind.FileShared, 16)]
    public void Mmap_of_a_file_takes_an_optional_page_offset(string line, MapKind kind, long pageOffset)
    {
        var mmap = Last<MmapStatement>("file data pages=32\n" + P1 + line);

        Assert.Equal(kind, mmap.Kind);
        Assert.Equal("data", mmap.File?.Text);
        Assert.Equal(pageOffset, mmap.PageOffset);
    }

    [Fact]
    public void Mmap_file_name_token_points_at_the_name_inside_file_equals()
    {
        var mmap = Last<MmapStatement>("file data pages=32\n" + P1 + "p1 mmap 0x0 1 r file=data private");

        Assert.Equal(new Token("data", 3, 22), mmap.File);
    }

    [Theory]
    [InlineData("munmap", RangeOperation.Munmap)]
    [InlineData("mlock", RangeOperation.Mlock)]
    [InlineData("munlock", RangeOperation.Munlock)]
    [InlineData("loan", RangeOperation.Loan)]
    [InlineData("unloan", RangeOperation.Unloan)]
    public void Range_operations_take_an_address_and_a_page_count(string verb, RangeOperation operation)
    {
        var range = Last<RangeStatement>(P1 + $"p1 {verb} 0x20000 3");

        Assert.Equal((operation, 0x20000UL, 3), (range.Operation, range.Address, range.Pages));
    }

    [Fact]
    public void Mprotect_takes_a_protection()
    {
        var mprotect = Last<MprotectStatement>(P1 + "p1 mprotect 0x10000 2 none");

        Assert.Equal((0x10000UL, 2, Prot.None), (mprotect.Address, mprotect.Pages, mprotect.Prot));
    }

    [Theory]
    [InlineData("normal", Advice.Normal)]
    [InlineData("random", Advice.Random)]
    [InlineData("sequential", Advice.Sequential)]
    public void Madvise_takes_an_advice(string word, Advice advice)
    {
        Assert.Equal(advice, Last<MadviseStatement>(P1 + $"p1 madvise 0x10000 2 {word}").Advice);
    }

    [Fact]
    public void Fork_names_parent_and_child()
    {
        var fork = Last<ForkStatement>(P1 + "p1 fork p2");

        Assert.Equal(("p1", "p2"), (fork.Parent.Text, fork.Child.Text));
    }

    [Fact]
    public void Exit_names_the_process()
    {
        Assert.Equal("p1", Last<ExitStatement>(P1 + "p1 exit").Proc.Text);
    }

    [Fact]
    public void Read_and_write_take_an_address_and_a_byte()
    {
        var statements = Valid(P1 + "p1 read 4096\np1 write 0x1000 0xff");

        Assert.Equal(4096UL, Assert.IsType<ReadStatement>(statements[1]).Address);
        var write = Assert.IsType<WriteStatement>(statements[2]);
        Assert.Equal((0x1000UL, (byte)0xff), (write.Address, write.Value));
    }

    [Fact]
    public void Unaligned_number_is_accepted_by_parser()
    {
        // Alignment is the model's to judge (EINVAL), so that scenarios can pin that answer down.
        Assert.Equal(0x10001UL, Last<RangeStatement>(P1 + "p1 munmap 0x10001 1").Address);
    }

    [Fact]
    public void Pageout_names_the_process_after_the_keyword()
    {
        var pageout = Last<PageoutStatement>(P1 + "pageout p1 0x10000 4");

        Assert.Equal(("p1", 0x10000UL, 4), (pageout.Proc.Text, pageout.Address, pageout.Pages));
    }

    [Fact]
    public void Pagedaemon_and_reset_counters()
    {
        var statements = Valid("pagedaemon 0x20\nreset counters");

        Assert.Equal(32, Assert.IsType<PageDaemonStatement>(statements[0]).Pages);
        Assert.IsType<ResetCountersStatement>(statements[1]);
    }

    [Fact]
    public void Expect_counter_accepts_every_counter_name()
    {
        foreach (var name in MachineFamily.NetBsd.Counters.Concat(UvmCounters.Names))
        {
            var expect = Last<ExpectCounterStatement>($"expect counter {name} 7");
            Assert.Equal((name, 7L), (expect.Counter, expect.Value));
        }
    }

    [Theory]
    [InlineData("mapped", PageCountKind.Mapped)]
    [InlineData("resident", PageCountKind.Resident)]
    [InlineData("wired", PageCountKind.Wired)]
    public void Expect_page_counts(string word, PageCountKind kind)
    {
        var expect = Last<ExpectPageCountStatement>(P1 + $"expect {word} p1 0x10000 8 0");

        Assert.Equal((kind, "p1", 0x10000UL, 8, 0), (expect.Kind, expect.Proc.Text, expect.Address, expect.Pages, expect.Count));
    }

    [Fact]
    public void Expect_prot_and_value()
    {
        var statements = Valid(P1 + "expect prot p1 0x10000 r\nexpect value p1 0x10001 0x2a");

        Assert.Equal(Prot.Read, Assert.IsType<ExpectProtStatement>(statements[1]).Prot);
        var value = Assert.IsType<ExpectValueStatement>(statements[2]);
        Assert.Equal((0x10001UL, (byte)0x2a), (value.Address, value.Value));
    }

    [Fact]
    public void Statement_keeps_every_token_with_its_location()
    {
        var read = Last<ReadStatement>(P1 + "  p1 read 0x10  => hit");

        Assert.Equal((2, 3), (read.Line, read.Column));
        Assert.Equal(
            [new Token("p1", 2, 3), new Token("read", 2, 6), new Token("0x10", 2, 11), new Token("=>", 2, 17), new Token("hit", 2, 20)],
            read.Tokens.ToArray());
    }

    [Fact]
    public void A_process_name_may_be_reused_after_exit()
    {
        var statements = Valid("proc p1\np1 exit\nproc p1\np1 read 0");

        Assert.IsType<ReadStatement>(statements[^1]);
    }

    [Fact]
    public void All_shipped_example_scenarios_parse()
    {
        var directory = Path.Combine(RepositoryRoot.Path, "scenarios");
        foreach (var file in ScenarioFiles.InDirectory(directory))
        {
            var scenario = ScenarioParser.Parse(file, File.ReadAllText(file));
            Assert.True(scenario.IsValid, string.Join("\n", scenario.Errors));
        }
    }
}
