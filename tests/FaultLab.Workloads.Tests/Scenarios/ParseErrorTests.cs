using FaultLab.Workloads.Scenarios;
using static FaultLab.Workloads.Tests.Scenarios.ParserTestSupport;

namespace FaultLab.Workloads.Tests.Scenarios;

public class ParseErrorTests
{
    private const string P1 = "proc p1\n";

    [Theory]
    [InlineData("frobnicate", "t.flt:1:1", "unknown statement 'frobnicate'")]
    [InlineData("0x10 read 0", "t.flt:1:1", "unknown statement '0x10'")]
    [InlineData("pagedeamon 4", "t.flt:1:1", "unknown statement 'pagedeamon'")]
    [InlineData("=> ok", "t.flt:1:1", "missing statement before '=>'")]
    [InlineData("reset everything", "t.flt:1:7", "expected 'counters', got 'everything'")]
    [InlineData("pagedaemon", "t.flt:1:11", "missing page count")]
    [InlineData("pagedaemon 0", "t.flt:1:12", "a page count must be at least 1")]
    [InlineData("pagedaemon 12abc", "t.flt:1:12", "expected a page count (decimal or 0x hex), got '12abc'")]
    [InlineData("pagedaemon -1", "t.flt:1:12", "expected a page count (decimal or 0x hex), got '-1'")]
    [InlineData("pagedaemon 0x", "t.flt:1:12", "expected a page count (decimal or 0x hex), got '0x'")]
    [InlineData("pagedaemon 4 more", "t.flt:1:14", "unexpected 'more' at the end of the statement")]
    public void Malformed_statement_is_a_parse_error_at_the_offending_token(string text, string location, string message)
    {
        Assert.Equal((location, message), SingleError(text));
    }

    [Theory]
    [InlineData("p1", "t.flt:2:3", "missing operation after the process name")]
    [InlineData("p1 jump", "t.flt:2:4", "unknown operation 'jump'; known: mmap, munmap, mprotect, madvise, mlock, munlock, loan, unloan, fork, exit, read, write")]
    [InlineData("p1 read", "t.flt:2:8", "missing address")]
    [InlineData("p1 read zero", "t.flt:2:9", "expected an address (decimal or 0x hex), got 'zero'")]
    [InlineData("p1 read 0x1 2", "t.flt:2:13", "unexpected '2' at the end of the statement")]
    [InlineData("p1 write 0x1000 256", "t.flt:2:17", "a byte must be 0..255, got 256")]
    [InlineData("p1 write 0x1000", "t.flt:2:16", "missing byte value")]
    [InlineData("p1 munmap 0x1000 0", "t.flt:2:18", "a page count must be at least 1")]
    [InlineData("p1 mprotect 0x1000 1 rwx", "t.flt:2:22", "expected a protection (none, r or rw), got 'rwx'")]
    [InlineData("p1 madvise 0x1000 1 willneed", "t.flt:2:21", "expected normal, random or sequential, got 'willneed'")]
    [InlineData("p1 mmap 0x1000 1 rw heap private", "t.flt:2:21", "expected anon or file=FILE[@PGOFF], got 'heap'")]
    [InlineData("p1 mmap 0x1000 1 rw anon public", "t.flt:2:26", "expected private or shared, got 'public'")]
    [InlineData("p1 mmap 0x1000 1 rw anon private locked", "t.flt:2:34", "unexpected 'locked' at the end of the statement")]
    [InlineData("p1 mmap 0x1000 1 rw anon", "t.flt:2:25", "missing private or shared")]
    [InlineData("p1 mmap 0x1000 1 rw file=9x private", "t.flt:2:21", "expected file=FILE[@PGOFF] with FILE a name, got 'file=9x'")]
    [InlineData("p1 mmap 0x1000 1 rw file=f@x private", "t.flt:2:21", "expected a page offset (decimal or 0x hex), got 'x'")]
    [InlineData("p1 fork 2p", "t.flt:2:9", "expected child process name (a name), got '2p'")]
    public void Malformed_process_operation_is_a_parse_error_at_the_offending_token(string line, string location, string message)
    {
        Assert.Equal((location, message), SingleError(P1 + line));
    }

    [Theory]
    [InlineData("machine pages=0", "t.flt:1:9", "a page count must be at least 1")]
    [InlineData("machine pages", "t.flt:1:9", "expected pages=N, swap=N or family=NAME, got 'pages'")]
    [InlineData("machine cpus=4", "t.flt:1:9", "expected pages=N, swap=N or family=NAME, got 'cpus=4'")]
    [InlineData("machine family=linux", "t.flt:1:16", "unknown machine family 'linux'; known: netbsd, freebsd")]
    [InlineData("machine family=netbsd family=netbsd", "t.flt:1:23", "'family' given twice")]
    [InlineData("machine pages=8 pages=9", "t.flt:1:17", "'pages' given twice")]
    [InlineData("file f", "t.flt:1:7", "missing pages=N")]
    [InlineData("file f pages=2 resident resident", "t.flt:1:25", "'resident' given twice")]
    [InlineData("file f resident=yes pages=1", "t.flt:1:8", "expected pages=N or resident, got 'resident=yes'")]
    [InlineData("proc expect", "t.flt:1:6", "'expect' is a keyword and cannot be a name")]
    [InlineData("file proc pages=1", "t.flt:1:6", "'proc' is a keyword and cannot be a name")]
    [InlineData("proc p-1", "t.flt:1:6", "expected process name (a name), got 'p-1'")]
    public void Malformed_definition_is_a_parse_error_at_the_offending_token(string text, string location, string message)
    {
        Assert.Equal((location, message), SingleError(text));
    }

    [Theory]
    [InlineData("expect", "t.flt:2:7", "missing what to expect (counter, mapped, resident, wired, prot or value)")]
    [InlineData("expect pages p1 0 1 1", "t.flt:2:8", "unknown expectation 'pages'; known: counter, mapped, resident, wired, prot, value")]
    [InlineData("expect counter faults -1", "t.flt:2:23", "expected a counter value (decimal or 0x hex), got '-1'")]
    [InlineData("expect mapped p1 0x1000 0 0", "t.flt:2:25", "a page count must be at least 1")]
    [InlineData("expect mapped p1 0x1000 1", "t.flt:2:26", "missing count")]
    [InlineData("expect mapped p1 0x1000 1 -1", "t.flt:2:27", "expected count (decimal or 0x hex), got '-1'")]
    [InlineData("expect prot p1 0x1000 w", "t.flt:2:23", "expected a protection (none, r or rw), got 'w'")]
    [InlineData("expect value p1 0x1000 0x100", "t.flt:2:24", "a byte must be 0..255, got 0x100")]
    [InlineData("expect counter faults 1 => ok", "t.flt:2:25", "an expect statement takes no '=>' clause")]
    public void Malformed_expectation_is_a_parse_error_at_the_offending_token(string line, string location, string message)
    {
        Assert.Equal((location, message), SingleError(P1 + line));
    }

    [Fact]
    public void Unknown_counter_is_a_parse_error_listing_the_known_ones()
    {
        var (location, message) = SingleError("expect counter flt_nope 1");

        Assert.Equal("t.flt:1:16", location);
        Assert.StartsWith("unknown counter 'flt_nope' for a netbsd machine; known: faults, resolved, entered, minor, major, zerofills, copies, pageins, fltamcopy,", message);
    }

    [Fact]
    public void Machine_after_another_statement_is_a_parse_error()
    {
        Assert.Equal(("t.flt:3:1", "'machine' must be the first statement"), SingleError("# comment\nproc p1\nmachine pages=8"));
    }

    [Fact]
    public void Machine_given_twice_is_a_parse_error_at_the_second()
    {
        Assert.Equal(("t.flt:2:1", "'machine' given twice (first at line 1)"), SingleError("machine\nmachine pages=2"));
    }

    [Fact]
    public void Machine_after_a_malformed_first_line_is_still_not_first()
    {
        Assert.Equal(
            ["t.flt:1:1: unknown statement 'oops'", "t.flt:2:1: 'machine' must be the first statement"],
            Errors("oops\nmachine"));
    }

    [Fact]
    public void Undefined_process_is_a_parse_error_at_its_column()
    {
        Assert.Equal(("t.flt:2:11", "undefined process 'p2'"), SingleError("proc p1\npageout   p2 01000 1"));
    }

    [Theory]
    [InlineData("p9 read 0", "t.flt:1:1")]
    [InlineData("p9 fork p2", "t.flt:1:1")]
    [InlineData("expect mapped p9 0 1 0", "t.flt:1:15")]
    [InlineData("expect prot p9 0 r", "t.flt:1:13")]
    [InlineData("expect value p9 0 1", "t.flt:1:14")]
    [InlineData("expect resident p9 0 1 0", "t.flt:1:17")]
    public void Every_use_of_a_process_is_checked(string text, string location)
    {
        Assert.Equal((location, "undefined process 'p9'"), SingleError(text));
    }

    [Fact]
    public void An_undefined_process_is_reported_once_not_on_every_line()
    {
        Assert.Equal(["t.flt:1:1: undefined process 'p2'"], Errors("p2 read 0\np2 read 1\np2 exit"));
    }

    [Fact]
    public void Exited_process_is_undefined_again()
    {
        Assert.Equal(("t.flt:3:1", "process 'p1' exited at line 2"), SingleError("proc p1\np1 exit\np1 read 0x1000"));
    }

    [Fact]
    public void Forked_child_is_defined()
    {
        Assert.Empty(Errors("proc p1\np1 fork p2\np2 read 0\np2 exit"));
    }

    [Theory]
    [InlineData("proc p1\nproc p1", "t.flt:2:6", "process 'p1' is already defined (line 1)")]
    [InlineData("proc p1\nproc p2\np1 fork p2", "t.flt:3:9", "process 'p2' is already defined (line 2)")]
    [InlineData("proc p1\np1 fork p1", "t.flt:2:9", "process 'p1' is already defined (line 1)")]
    [InlineData("file f pages=1\nfile f pages=2", "t.flt:2:6", "file 'f' is already defined (line 1)")]
    public void Redefining_a_live_name_is_a_parse_error_at_the_new_name(string text, string location, string message)
    {
        Assert.Equal((location, message), SingleError(text));
    }

    [Fact]
    public void Undefined_file_is_a_parse_error_at_the_file_name()
    {
        Assert.Equal(("t.flt:2:22", "undefined file 'data'"), SingleError(P1 + "p1 mmap 0x0 1 r file=data@2 private"));
    }

    [Fact]
    public void File_must_be_defined_before_its_use()
    {
        Assert.Equal(("t.flt:2:20", "undefined file 'f'"), SingleError(P1 + "p1 mmap 0 1 r file=f shared\nfile f pages=1"));
    }

    [Fact]
    public void Every_malformed_line_is_reported_in_line_order()
    {
        var errors = Errors("""
            proc p1
            p1 read
            machine
            p1 write 0 300
            p2 exit
            pagedaemon 0
            """);

        Assert.Equal(
            [
                "t.flt:2:8: missing address",
                "t.flt:3:1: 'machine' must be the first statement",
                "t.flt:4:12: a byte must be 0..255, got 300",
                "t.flt:5:1: undefined process 'p2'",
                "t.flt:6:12: a page count must be at least 1",
            ],
            errors);
    }

    [Fact]
    public void A_file_with_parse_errors_does_not_run_at_all()
    {
        var file = Path.Combine(Path.GetTempPath(), $"faultlab-{Guid.NewGuid():N}.flt");
        File.WriteAllText(file, "proc p1\np1 read 0x1000 => 3C\n");
        try
        {
            var result = ScenarioFiles.Run(file);

            Assert.False(result.Ran);
            Assert.Empty(result.Statements);
            Assert.Equal([$"{file}:2:19: expected hit, 1A, 1B, 2A, 2B or an error name for a netbsd machine, got '3C'"], result.Errors.ToArray());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_unreadable_file_is_an_error_of_its_own()
    {
        var result = ScenarioFiles.Run("/nonexistent/x.flt");

        Assert.False(result.Ran);
        Assert.StartsWith("/nonexistent/x.flt: cannot read: ", Assert.Single(result.Errors));
    }
}
