using FaultLab.Core;
using FaultLab.Workloads.Scenarios;
using static FaultLab.Workloads.Tests.Scenarios.ParserTestSupport;

namespace FaultLab.Workloads.Tests.Scenarios;

public class OutcomeParsingTests
{
    private const string P1 = "proc p1\n";

    private static ExpectedOutcome Outcome(string line) =>
        Valid(P1 + "file f pages=1\n" + line)[^1].Expected ?? throw new InvalidOperationException("no outcome");

    [Fact]
    public void Statement_without_an_arrow_has_no_outcome()
    {
        Assert.Null(Valid(P1 + "p1 read 0")[^1].Expected);
    }

    [Theory]
    [InlineData("hit", FaultCase.Hit)]
    [InlineData("1A", FaultCase.Upper1A)]
    [InlineData("1B", FaultCase.Upper1B)]
    [InlineData("2A", FaultCase.Lower2A)]
    [InlineData("2B", FaultCase.Lower2B)]
    public void Access_outcome_names_a_fault_case(string word, FaultCase faultCase)
    {
        var outcome = Outcome($"p1 read 0 => {word}");

        Assert.Equal((Errno.OK, faultCase, word), (outcome.Error, outcome.Case, outcome.Name));
    }

    [Theory]
    [InlineData("EFAULT", Errno.EFAULT)]
    [InlineData("ENOMEM", Errno.ENOMEM)]
    [InlineData("EIO", Errno.EIO)]
    public void Access_outcome_may_be_an_error(string word, Errno error)
    {
        var outcome = Outcome($"p1 write 0 1 => {word}");

        Assert.Equal((error, (FaultCase?)null, word), (outcome.Error, outcome.Case, outcome.Name));
    }

    [Fact]
    public void Access_outcome_takes_every_key()
    {
        var outcome = Outcome("p1 read 0 => 2B restarts=1 neighbors=0x7 prot=rw value=0x41");

        Assert.Equal((1, 7, Prot.ReadWrite, (byte)0x41), (outcome.Restarts, outcome.Neighbors, outcome.Prot, outcome.Value));
    }

    [Fact]
    public void Keys_not_given_are_null_so_they_are_not_checked()
    {
        var outcome = Outcome("p1 read 0 => 1A prot=none");

        Assert.Equal(Prot.None, outcome.Prot);
        Assert.Null(outcome.Restarts);
        Assert.Null(outcome.Neighbors);
        Assert.Null(outcome.Value);
    }

    [Fact]
    public void An_error_outcome_may_still_check_its_passes()
    {
        var outcome = Outcome("p1 read 0 => ENOMEM restarts=2 neighbors=0");

        Assert.Equal((Errno.ENOMEM, 2, 0), (outcome.Error, outcome.Restarts, outcome.Neighbors));
    }

    [Theory]
    [InlineData("p1 munmap 0 1 => ok", Errno.OK)]
    [InlineData("p1 mmap 0 1 r anon private => EINVAL", Errno.EINVAL)]
    [InlineData("p1 mprotect 0 1 rw => EACCES", Errno.EACCES)]
    [InlineData("p1 mlock 0 1 => ENOMEM", Errno.ENOMEM)]
    [InlineData("p1 fork p2 => EFAULT", Errno.EFAULT)]
    [InlineData("p1 exit => ok", Errno.OK)]
    [InlineData("machine => ok", Errno.OK)]
    [InlineData("pageout p1 0 1 => EIO", Errno.EIO)]
    [InlineData("pagedaemon 3 => ok", Errno.OK)]
    [InlineData("reset counters => ok", Errno.OK)]
    [InlineData("proc p3 => ok", Errno.OK)]
    [InlineData("file g pages=1 => ok", Errno.OK)]
    public void Other_statements_take_ok_or_an_error_name(string line, Errno error)
    {
        var statement = line.StartsWith("machine", StringComparison.Ordinal) ? Valid(line)[0] : Valid(P1 + line)[^1];

        Assert.Equal(error, statement.Expected?.Error);
        Assert.Null(statement.Expected?.Case);
    }

    [Fact]
    public void Every_errno_but_OK_and_ERESTART_is_an_outcome_name()
    {
        foreach (var error in Enum.GetValues<Errno>().Where(e => e is not (Errno.OK or Errno.ERESTART)))
        {
            Assert.Equal(error, Outcome($"p1 munmap 0 1 => {error}").Error);
        }
        Assert.Equal(("t.flt:2:18", "expected 'ok' or an error name, got 'ERESTART'"), SingleError(P1 + "p1 munmap 0 1 => ERESTART"));
        Assert.Equal(("t.flt:2:18", "expected 'ok' or an error name, got 'OK'"), SingleError(P1 + "p1 munmap 0 1 => OK"));
    }

    [Theory]
    [InlineData("p1 read 0 =>", "t.flt:2:13", "missing outcome after '=>'")]
    [InlineData("p1 read 0 => ok", "t.flt:2:14", "expected hit, 1A, 1B, 2A, 2B or an error name for a netbsd machine, got 'ok'")]
    [InlineData("p1 read 0 => 2b", "t.flt:2:14", "expected hit, 1A, 1B, 2A, 2B or an error name for a netbsd machine, got '2b'")]
    [InlineData("p1 munmap 0 1 => hit", "t.flt:2:18", "expected 'ok' or an error name, got 'hit'")]
    [InlineData("p1 munmap 0 1 => 1A", "t.flt:2:18", "expected 'ok' or an error name, got '1A'")]
    [InlineData("p1 munmap 0 1 => ok restarts=0", "t.flt:2:21", "unexpected 'restarts=0': only read and write outcomes take keys")]
    [InlineData("p1 read 0 => hit faults=1", "t.flt:2:18", "unknown key 'faults' for a netbsd machine; known: restarts, neighbors, prot, value")]
    [InlineData("p1 write 0 1 => hit color=red", "t.flt:2:21", "unknown key 'color' for a netbsd machine; known: restarts, neighbors, prot")]
    [InlineData("p1 write 0 1 => hit value=1", "t.flt:2:21", "key 'value' is for reads only")]
    [InlineData("p1 read 0 => hit restarts", "t.flt:2:18", "expected key=value, got 'restarts'")]
    [InlineData("p1 read 0 => 1B restarts=1 restarts=2", "t.flt:2:28", "key 'restarts' given twice")]
    [InlineData("p1 read 0 => 1B restarts=x", "t.flt:2:17", "expected restarts (decimal or 0x hex), got 'x'")]
    [InlineData("p1 read 0 => 1B prot=w", "t.flt:2:17", "expected prot=none, prot=r or prot=rw, got 'prot=w'")]
    [InlineData("p1 read 0 => 1B value=256", "t.flt:2:17", "a byte must be 0..255, got 256")]
    [InlineData("p1 read 0 => EFAULT prot=r", "t.flt:2:21", "key 'prot' does not apply to an error outcome")]
    [InlineData("p1 read 0 => EFAULT value=0", "t.flt:2:21", "key 'value' does not apply to an error outcome")]
    public void Bad_outcome_is_a_parse_error_at_the_offending_token(string line, string location, string message)
    {
        Assert.Equal((location, message), SingleError(P1 + line));
    }
}
