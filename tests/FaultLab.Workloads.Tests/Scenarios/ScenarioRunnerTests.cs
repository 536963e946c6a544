using FaultLab.Core;
using FaultLab.Workloads.Scenarios;
using static FaultLab.Workloads.Tests.Scenarios.ParserTestSupport;

namespace FaultLab.Workloads.Tests.Scenarios;

/// <summary>The runner on the real model.</summary>
public class ScenarioRunnerTests
{
    private static ScenarioResult Run(string text) =>
        ScenarioRunner.Run(ScenarioParser.Parse(FileName, text));

    private static string Transcript(string text)
    {
        var output = new StringWriter { NewLine = "\n" };
        TextTranscript.Write(Run(text), output);
        return output.ToString();
    }

    [Fact]
    public void The_example_of_SCENARIOS_md_gives_its_transcript()
    {
        var transcript = Transcript("""
            machine pages=256
            proc p1
            p1 mmap 0x10000 4 rw anon private
            p1 write 0x10000 0x41   => 2B restarts=1 neighbors=0 prot=rw   # amap copy, then zero fill
            p1 fork p2

            p2 write 0x10000 0x42   => 1B restarts=1                       # child copies the shared anon
            p1 read 0x10000         => hit value=0x41
            expect counter flt_acow 1
            """);

        Assert.Equal(
            """
            1: machine pages=256 => ok
            2: proc p1 => ok
            3: p1 mmap 0x10000 4 rw anon private => ok
            4: p1 write 0x10000 0x41 => 2B restarts=1 neighbors=0 prot=rw
            5: p1 fork p2 => ok
            7: p2 write 0x10000 0x42 => 1B restarts=1 neighbors=0 prot=rw
            8: p1 read 0x10000 => hit prot=r value=0x41
            9: expect counter flt_acow 1 => 1
            t.flt: 8 statements, 0 failed

            """,
            transcript);
    }

    [Fact]
    public void Failed_expectations_are_reported_and_the_run_goes_on_to_the_end()
    {
        var transcript = Transcript("""
            proc p1
            p1 read 0x5000
            p1 mmap 0x10000 1 rw anon private => EINVAL
            p1 read 0x10000 => 1A restarts=0 value=7
            expect value p1 0x20000 0
            expect counter faults 9
            expect mapped p1 0x10000 1 1
            """);

        Assert.Equal(
            """
            1: proc p1 => ok
            2: p1 read 0x5000 => EFAULT restarts=0 neighbors=0
            t.flt:2: expected ok, got EFAULT
            3: p1 mmap 0x10000 1 rw anon private => ok
            t.flt:3: expected EINVAL, got ok
            4: p1 read 0x10000 => 2B restarts=1 neighbors=0 prot=rw value=0x00
            t.flt:4: expected 1A, got 2B
            t.flt:4: expected restarts=0, got restarts=1
            t.flt:4: expected value=0x07, got value=0x00
            5: expect value p1 0x20000 0x00 => no value (EFAULT)
            t.flt:5: expected value 0x00, got no value (EFAULT)
            6: expect counter faults 9 => 2
            t.flt:6: expected counter faults 9, got 2
            7: expect mapped p1 0x10000 1 1 => 1
            t.flt: 7 statements, 5 failed

            """,
            transcript);
    }

    [Fact]
    public void Exit_then_reuse_of_the_name_is_a_new_process()
    {
        var result = Run("""
            proc p1
            p1 mmap 0x10000 1 rw anon private
            p1 write 0x10000 1
            p1 exit
            proc p1
            expect mapped p1 0x10000 1 0
            p1 read 0x10000 => EFAULT
            """);

        Assert.True(result.Passed, string.Join("\n", result.Statements.SelectMany(s => s.Failures)));
    }

    [Fact]
    public void Every_operation_reaches_the_model()
    {
        var result = Run("""
            machine pages=512 swap=64
            file data pages=8
            proc p1
            p1 mmap 0x100000 8 rw file=data@0 shared
            p1 mmap 0x200000 4 rw anon shared
            p1 mmap 0x300000 2 rw anon private wired
            expect wired p1 0x300000 2 2
            p1 loan 0x300000 1 => EINVAL
            p1 madvise 0x100000 8 random => ok
            p1 read 0x100003 => 2A neighbors=0 value=3
            p1 mlock 0x100000 2
            expect wired p1 0x100000 8 2
            p1 munlock 0x100000 2
            p1 loan 0x200000 1 => EINVAL
            p1 write 0x200000 0x5
            p1 loan 0x200000 1
            expect prot p1 0x200000 r
            p1 unloan 0x200000 1
            p1 mprotect 0x200000 4 r
            pageout p1 0x100000 8
            expect resident p1 0x100000 8 0
            pagedaemon 4
            reset counters
            expect counter faults 0
            p1 fork p2
            p2 exit
            p1 munmap 0x100000 8
            """);

        Assert.True(result.Passed, string.Join("\n", result.Statements.SelectMany(s => s.Failures)));
    }

    [Fact]
    public void Machine_statement_sizes_the_machine_and_the_path_is_passed_on()
    {
        var config = ScenarioRunner.ConfigFor(ScenarioParser.Parse(FileName, "machine pages=64 swap=3"), FaultPath.Generic);
        var defaults = ScenarioRunner.ConfigFor(ScenarioParser.Parse(FileName, "proc p1"), FaultPath.Generic);

        Assert.Equal((64, 3, FaultPath.Generic), (config.Pages, config.SwapSlots, config.Path));
        Assert.Equal((4096, 8192), (defaults.Pages, defaults.SwapSlots));
    }

    [Fact]
    public void A_scenario_with_parse_errors_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ScenarioRunner.Run(ScenarioParser.Parse(FileName, "bogus")));
    }

    [Fact]
    public void Every_shipped_example_scenario_passes()
    {
        AssertAllPass(Path.Combine(RepositoryRoot.Path, "scenarios"));
    }

    [Fact]
    public void Every_shared_scenario_passes_when_the_shared_directory_exists()
    {
        var shared = Path.Combine(RepositoryRoot.Path, "..", "shared", "scenarios");
        if (Directory.Exists(shared))
        {
            AssertAllPass(shared);
        }
    }

    private static void AssertAllPass(string directory)
    {
        var files = ScenarioFiles.InDirectory(directory);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var result = ScenarioFiles.Run(file);
            var problems = result.Errors.Concat(result.Statements.SelectMany(s => s.Failures.Select(f => $"{file}:{s.Line}: {f}")));
            Assert.True(result.Passed, string.Join("\n", problems));
        }
    }
}
