using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;
using FaultLab.Workloads.Checking;
using FaultLab.Workloads.Scenarios;
using FaultLab.Workloads.Tests.Checking;

namespace FaultLab.Workloads.Tests.Families;

/// <summary>
/// The seam between the lab and a family: a toy family of a test (<see cref="ToyMachine"/>) runs the scenario
/// runner, the checker's oracle and a built-in workload through <see cref="IMachine"/> alone, and the scenario
/// language checks each family's words against that family.
/// </summary>
public class SecondFamilyTests
{
    private static readonly MachineCatalog Catalog = MachineCatalog.BuiltIn.With(ToyMachine.Family);

    private static Scenario Parse(string text) => ScenarioParser.Parse("toy.flt", text, Catalog);

    private static string Transcript(ScenarioResult result)
    {
        var output = new StringWriter { NewLine = "\n" };
        TextTranscript.Write(result, output);
        return output.ToString();
    }

    [Fact]
    public void The_scenario_runner_runs_a_toy_scenario_with_its_outcomes_keys_and_counters()
    {
        var scenario = Parse("""
            machine family=toy pages=64
            proc p1
            p1 mmap 0x10000 2 rw anon private
            p1 write 0x10000 0x41 => zero restarts=0 prot=rw
            p1 fork p2
            p2 read 0x10000       => soft value=0x41
            p2 write 0x10000 0x42 => hit
            p1 read 0x10000       => hit value=0x41
            p1 read 0x11000       => zero value=0
            expect counter zerofills 2
            expect counter toy_fork_copies 1
            expect counter faults 3
            """);
        Assert.True(scenario.IsValid, string.Join("\n", scenario.Errors));
        Assert.Same(ToyMachine.Family, scenario.Family);

        var result = ScenarioRunner.Run(scenario);

        Assert.True(result.Passed, Transcript(result));
        Assert.Same(ToyMachine.Family, result.Family);
        Assert.Equal("6: p2 read 0x10000 => soft restarts=0 prot=rw value=0x41", Transcript(result).Split('\n')[5]);
        var json = new StringWriter();
        JsonTranscript.Write([result], json);
        Assert.Contains("\"restarts\": 0", json.ToString());
        Assert.DoesNotContain("neighbors", json.ToString()); // the toy family has no such key
    }

    [Theory]
    [InlineData("p1 read 0x10000 => 1A", "toy.flt:4:20", "expected hit, zero, soft or an error name for a toy machine, got '1A' (a netbsd outcome)")]
    [InlineData("p1 read 0x10000 => zero neighbors=0", "toy.flt:4:25", "unknown key 'neighbors' for a toy machine (a netbsd key); known: restarts, prot, value")]
    [InlineData("expect counter flt_acow 0", "toy.flt:4:16", "unknown counter 'flt_acow' for a toy machine (a netbsd counter); known: faults, resolved")]
    [InlineData("p1 loan 0x10000 1", "toy.flt:4:4", "a toy machine has no 'loan': its family has no loans")]
    [InlineData("p1 mlock 0x10000 1", "toy.flt:4:4", "a toy machine has no 'mlock': its family has no wiring")]
    [InlineData("p1 mmap 0x20000 1 r anon private wired", "toy.flt:4:34", "a toy machine has no 'wired': its family has no wiring")]
    [InlineData("file f pages=2", "toy.flt:4:1", "a toy machine has no 'file': its family has no files")]
    [InlineData("pageout p1 0x10000 1", "toy.flt:4:1", "a toy machine has no 'pageout': its family has no pageout")]
    public void Another_familys_words_are_located_parse_errors_that_say_whose_they_are(string line, string location, string message)
    {
        var scenario = Parse($"machine family=toy\nproc p1\np1 mmap 0x10000 1 rw anon private\n{line}");

        var error = Assert.Single(scenario.Errors);
        Assert.Equal(location, $"{error.File}:{error.Line}:{error.Column}");
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_netbsd_scenario_refuses_the_toy_familys_words_the_same_way()
    {
        var scenario = Parse("proc p1\np1 mmap 0x10000 1 rw anon private\np1 read 0x10000 => zero\nexpect counter toy_fork_copies 0");

        Assert.Equal(
        [
            "toy.flt:3:20: expected hit, 1A, 1B, 2A, 2B or an error name for a netbsd machine, got 'zero' (a toy outcome)",
            "toy.flt:4:16: unknown counter 'toy_fork_copies' for a netbsd machine (a toy counter); known: faults, resolved, entered, minor, major, zerofills, copies, pageins, fltamcopy, fltanget, fltanretry, flt_anon, flt_acow, flt_obj, flt_prcopy, flt_przero, fltnamap, fltnomap, fltlget, fltget, fltnoram, fltnoanon, fltpgwait, fltpgrele, minflt, majflt",
        ], scenario.Errors.Select(e => e.ToString()).ToArray());
    }

    [Fact]
    public void The_builtin_catalog_does_not_know_the_toy_family()
    {
        var error = Assert.Single(ScenarioParser.Parse("t.flt", "machine family=toy").Errors);

        Assert.Equal("t.flt:1:16: unknown machine family 'toy'; known: netbsd, freebsd", error.ToString());
    }

    [Fact]
    public void The_checker_runs_the_toy_family_against_its_oracle_with_no_violation()
    {
        var result = ModelChecker.Run(new CheckerOptions { Family = ToyMachine.Family, Seed = 5, MaxRuns = 40, Duration = TimeSpan.FromMinutes(2) });

        Assert.Null(result.Failure);
        Assert.Equal(40, result.Runs);
        Assert.True(result.Operations > 40 * 150, $"{result.Operations} operations");
    }

    [Fact]
    public void The_checker_finds_a_bug_planted_in_the_toy_family()
    {
        var options = new CheckerOptions { Family = ToyMachine.Family, Seed = 5, MaxRuns = 200, Duration = TimeSpan.FromMinutes(2) };

        var result = ModelChecker.Run(options, null, config => new ChildReadFlipper(ToyMachine.Family.Create(config)));

        // The shrunk scenario names the family, and on the broken machine it fails again.
        var failure = Assert.IsType<CheckFailure>(result.Failure);
        Assert.EndsWith(" family=toy", failure.ShrunkOperations[0]);
        var scenario = Parse(string.Join("\n", failure.ShrunkOperations));
        Assert.True(scenario.IsValid, string.Join("\n", scenario.Errors));
        Assert.True(ScenarioRunner.Run(scenario).Passed); // the toy itself is right ...
        Assert.Contains(": value: `p", failure.Violation); // ... the flipped byte a child read is not
    }

    [Fact]
    public void A_builtin_workload_runs_on_the_toy_family_through_the_interface()
    {
        var workload = new AnonZfod();

        workload.Setup(FaultPath.Generic, ToyMachine.Family);

        Assert.Same(ToyMachine.Family, workload.Machine.Family);
        Assert.Equal((256, 256), (workload.FaultsPerBatch, workload.PagesPerBatch));
        long before = workload.Machine.Counter(CommonCounter.ZeroFills);
        workload.RunBatch();
        Assert.Equal(256, workload.Machine.Counter(CommonCounter.ZeroFills) - before);
    }
}
