using FaultLab.Workloads.Scenarios;
using static FaultLab.Workloads.Tests.Scenarios.ParserTestSupport;

namespace FaultLab.Workloads.Tests.Scenarios;

public class StatementTextTests
{
    [Theory]
    [InlineData("machine", "machine")]
    [InlineData("machine   swap=16   pages=0x100", "machine pages=256 swap=16")]
    [InlineData("file log  pages=0x10 resident", "file log pages=16 resident")]
    [InlineData("proc  p9", "proc p9")]
    [InlineData("p1 mmap 65536 4 rw anon private", "p1 mmap 0x10000 4 rw anon private")]
    [InlineData("p1 mmap 0x10000 4 r file=data@0 shared wired", "p1 mmap 0x10000 4 r file=data shared wired")]
    [InlineData("p1 mmap 0x10000 4 r file=data@0x2 private", "p1 mmap 0x10000 4 r file=data@2 private")]
    [InlineData("p1 munmap 0X10000 4 => ok", "p1 munmap 0x10000 4")]
    [InlineData("p1 mprotect 0x10000 4 none", "p1 mprotect 0x10000 4 none")]
    [InlineData("p1 madvise 0x10000 4 sequential", "p1 madvise 0x10000 4 sequential")]
    [InlineData("p1 mlock 0x10000 4", "p1 mlock 0x10000 4")]
    [InlineData("p1 munlock 0x10000 4", "p1 munlock 0x10000 4")]
    [InlineData("p1 loan 0x10000 4", "p1 loan 0x10000 4")]
    [InlineData("p1 unloan 0x10000 4", "p1 unloan 0x10000 4")]
    [InlineData("p1 fork p2", "p1 fork p2")]
    [InlineData("p1 exit", "p1 exit")]
    [InlineData("p1 read 0x10000 => 2B restarts=1", "p1 read 0x10000")]
    [InlineData("p1 write 0x10000 171", "p1 write 0x10000 0xab")]
    [InlineData("p1 write 0x10000 0", "p1 write 0x10000 0x00")]
    [InlineData("pageout p1 0x10000 4", "pageout p1 0x10000 4")]
    [InlineData("pagedaemon 0x10", "pagedaemon 16")]
    [InlineData("reset   counters", "reset counters")]
    [InlineData("expect counter flt_acow 0x1", "expect counter flt_acow 1")]
    [InlineData("expect mapped p1 0x10000 8 2", "expect mapped p1 0x10000 8 2")]
    [InlineData("expect resident p1 0x10000 8 2", "expect resident p1 0x10000 8 2")]
    [InlineData("expect wired p1 0x10000 8 2", "expect wired p1 0x10000 8 2")]
    [InlineData("expect prot p1 0x10000 rw", "expect prot p1 0x10000 rw")]
    [InlineData("expect value p1 0x10000 42", "expect value p1 0x10000 0x2a")]
    public void Canonical_text_has_single_spaces_hex_addresses_and_bytes_and_no_outcome(string line, string canonical)
    {
        var setup = line.StartsWith("machine", StringComparison.Ordinal) ? "" : "file data pages=8\nproc p1\n";

        Assert.Equal(canonical, StatementText.Format(Valid(setup + line)[^1]));
    }

    [Fact]
    public void Canonical_text_parses_back_to_the_same_text()
    {
        var statements = Valid(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "scenarios", "03-file-private.flt")));
        var canonical = string.Join("\n", statements.Select(StatementText.Format));

        Assert.Equal(canonical, string.Join("\n", Valid(canonical).Select(StatementText.Format)));
    }
}
