using FaultLab.Core;
using FaultLab.Workloads.Scenarios;
using static FaultLab.Workloads.Tests.Scenarios.ParserTestSupport;

namespace FaultLab.Workloads.Tests.Scenarios;

/// <summary>
/// Every size a scenario gives is held to the model's maxima (MachineConfig) when the file is parsed, with
/// FILE:LINE:COL and the memory it would need, so that nothing the parser accepts can break the machine.
/// </summary>
public class LimitParsingTests
{
    private const string Setup = "file f pages=4\nproc p1\n";

    [Theory]
    [InlineData("machine pages=262145", "t.flt:1:9", "a page count must be at most 262144 (1 GiB of frames); 262145 would need 1 GiB")]
    [InlineData("machine pages=524288", "t.flt:1:9", "a page count must be at most 262144 (1 GiB of frames); 524288 would need 2 GiB")]
    [InlineData("machine pages=1048576", "t.flt:1:9", "a page count must be at most 262144 (1 GiB of frames); 1048576 would need 4 GiB")]
    [InlineData("machine pages=67108864", "t.flt:1:9", "a page count must be at most 262144 (1 GiB of frames); 67108864 would need 256 GiB")]
    [InlineData("machine pages=0x40001", "t.flt:1:9", "a page count must be at most 262144 (1 GiB of frames); 262145 would need 1 GiB")]
    [InlineData("machine pages=99999999999999999999999", "t.flt:1:9", "a page count must be at most 262144 (1 GiB of frames); '99999999999999999999999' is far more")]
    [InlineData("machine swap=262145", "t.flt:1:9", "swap must be at most 262144 (1 GiB of swap); 262145 would need 1 GiB")]
    [InlineData("machine swap=2147483647", "t.flt:1:9", "swap must be at most 262144 (1 GiB of swap); 2147483647 would need 8 TiB")]
    [InlineData("machine pages=16 swap=4294967296", "t.flt:1:18", "swap must be at most 262144 (1 GiB of swap); 4294967296 would need 16 TiB")]
    [InlineData("file f pages=262145", "t.flt:1:8", "a page count must be at most 262144 (1 GiB of disk); 262145 would need 1 GiB")]
    [InlineData("file f pages=524288", "t.flt:1:8", "a page count must be at most 262144 (1 GiB of disk); 524288 would need 2 GiB")]
    public void A_size_beyond_the_model_is_a_parse_error_that_says_what_it_would_need(string text, string location, string message)
    {
        Assert.Equal((location, message), SingleError(text));
    }

    [Theory]
    [InlineData("machine pages=262144 swap=262144")]
    [InlineData("machine pages=1 swap=0")]
    [InlineData("file f pages=262144")]
    public void The_maxima_themselves_parse(string text) => Valid(text);

    [Fact]
    public void The_files_together_are_held_to_the_disk_limit()
    {
        var errors = Errors("file a pages=200000\nfile b pages=62144\nfile c pages=1\n");

        Assert.Equal(["t.flt:3:8: the files of a machine have at most 262144 pages together (1 GiB of disk); this one would make 262145 (1 GiB)"], errors);
    }

    [Theory]
    [InlineData("p1 mmap 0x0 134217729 rw anon private", "t.flt:3:13", "a page count must be at most 134217728 (512 GiB of address space); 134217729 would need 512 GiB")]
    [InlineData("p1 munmap 0x0 2147483647", "t.flt:3:15", "a page count must be at most 134217728 (512 GiB of address space); 2147483647 would need 8 TiB")]
    [InlineData("expect mapped p1 0x0 4294967296 0", "t.flt:3:22", "a page count must be at most 134217728 (512 GiB of address space); 4294967296 would need 16 TiB")]
    [InlineData("p1 mmap 0x0 1 r file=f@262145 private", "t.flt:3:17", "a page offset must be at most 262144 (1 GiB of file); 262145 would need 1 GiB")]
    [InlineData("p1 mmap 0x0 1 r file=f@4503599627370495 private", "t.flt:3:17", "a page offset must be at most 262144 (1 GiB of file); 4503599627370495 would need 16 EiB")]
    public void Ranges_and_offsets_are_held_to_the_address_space_and_the_file_limit(string statement, string location, string message)
    {
        Assert.Equal((location, message), SingleError(Setup + statement));
    }

    [Fact]
    public void A_range_of_the_whole_address_space_parses()
    {
        Valid(Setup + "p1 mmap 0x0 134217728 rw anon private => EINVAL\np1 mmap 0x0 1 r file=f@262144 private\n");
    }

    [Fact]
    public void A_file_beyond_the_limits_does_not_run_and_says_so()
    {
        var file = Path.Combine(Path.GetTempPath(), $"faultlab-limit-{Guid.NewGuid():N}.flt");
        File.WriteAllText(file, "machine pages=524288\nproc p1\n");
        try
        {
            var result = ScenarioFiles.Run(file);

            Assert.False(result.Ran);
            Assert.Equal($"{file}:1:9: a page count must be at most 262144 (1 GiB of frames); 524288 would need 2 GiB", Assert.Single(result.Errors));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
