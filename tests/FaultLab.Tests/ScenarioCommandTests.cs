using System.Text.Json;

namespace FaultLab.Tests;

public class ScenarioCommandTests
{
    [Fact]
    public void All_expectations_holding_exits_0_with_the_transcript()
    {
        using var dir = new TempScenarios();
        var file = dir.Add("ok.flt", Scenarios.Passing);

        var output = CliOutput.Run("scenario", file);

        Assert.Equal(0, output.ExitCode);
        Assert.Contains("4: p1 write 0x10000 0x41 => 2B restarts=1 neighbors=0 prot=rw\n", output.Stdout);
        Assert.EndsWith($"{file}: 5 statements, 0 failed\n", output.Stdout);
        Assert.Equal("", output.Stderr);
    }

    [Fact]
    public void A_failed_expectation_exits_1_and_names_its_line()
    {
        using var dir = new TempScenarios();
        var file = dir.Add("fail.flt", Scenarios.Failing);

        var output = CliOutput.Run("scenario", file);

        Assert.Equal(1, output.ExitCode);
        Assert.Contains($"2: p1 read 0x5000 => EFAULT restarts=0 neighbors=0\n{file}:2: expected ok, got EFAULT\n", output.Stdout);
        Assert.EndsWith($"{file}: 2 statements, 1 failed\n", output.Stdout);
    }

    [Fact]
    public void A_parse_error_exits_2_runs_nothing_of_that_file_but_runs_the_others()
    {
        using var dir = new TempScenarios();
        var bad = dir.Add("bad.flt", Scenarios.Malformed);
        var good = dir.Add("good.flt", Scenarios.Passing);

        var output = CliOutput.Run("scenario", bad, good);

        Assert.Equal(2, output.ExitCode);
        Assert.Equal($"{bad}:2:1: undefined process 'p2'\n", output.Stderr);
        Assert.DoesNotContain(bad, output.Stdout);
        Assert.Contains($"{good}: 5 statements, 0 failed", output.Stdout);
    }

    [Fact]
    public void Exit_code_is_the_worst_of_all_files()
    {
        using var dir = new TempScenarios();
        var good = dir.Add("good.flt", Scenarios.Passing);
        var failing = dir.Add("fail.flt", Scenarios.Failing);

        Assert.Equal(1, CliOutput.Run("scenario", good, failing).ExitCode);
        Assert.Equal(1, CliOutput.Run("scenario", failing, good).ExitCode);
    }

    [Fact]
    public void An_unreadable_file_exits_2()
    {
        var output = CliOutput.Run("scenario", "/nonexistent/none.flt");

        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith("/nonexistent/none.flt: cannot read: ", output.Stderr);
    }

    [Fact]
    public void A_directory_means_its_flt_files_sorted_by_name()
    {
        using var dir = new TempScenarios();
        dir.Add("b.flt", Scenarios.Passing);
        dir.Add("a.flt", Scenarios.Passing);
        dir.Add("notes.txt", "not a scenario");

        var output = CliOutput.Run("scenario", dir.Directory);

        Assert.Equal(0, output.ExitCode);
        var summaries = output.Stdout.Split('\n').Where(l => l.Contains(" statements, ")).ToArray();
        Assert.Equal([$"{Path.Combine(dir.Directory, "a.flt")}: 5 statements, 0 failed", $"{Path.Combine(dir.Directory, "b.flt")}: 5 statements, 0 failed"], summaries);
    }

    [Fact]
    public void A_directory_without_scenarios_exits_2()
    {
        using var dir = new TempScenarios();

        var output = CliOutput.Run("scenario", dir.Directory);

        Assert.Equal(2, output.ExitCode);
        Assert.Contains("no *.flt files", output.Stderr);
    }

    [Theory]
    [InlineData("--path", "generic")]
    [InlineData("--path=generic")]
    public void Path_generic_is_accepted(params string[] option)
    {
        using var dir = new TempScenarios();
        var file = dir.Add("ok.flt", Scenarios.Passing);

        Assert.Equal(0, CliOutput.Run(["scenario", file, .. option]).ExitCode);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("Generic")]
    public void Unknown_path_is_rejected_with_exit_2_and_the_known_paths(string path)
    {
        using var dir = new TempScenarios();
        var file = dir.Add("ok.flt", Scenarios.Passing);

        var output = CliOutput.Run("scenario", "--path", path, file);

        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith($"faultlab: unknown path '{path}'; known: generic, specialized, monomorphized\n", output.Stderr);
        Assert.Equal("", output.Stdout);
    }

    [Theory]
    [InlineData("generic")]
    [InlineData("specialized")]
    [InlineData("monomorphized")]
    public void Every_path_gives_the_same_transcript_of_the_shipped_scenarios(string path)
    {
        var reference = CliOutput.Run("scenario", "--path", "generic", Path.Combine(RepositoryRoot.Path, "scenarios"));
        var output = CliOutput.Run("scenario", "--path", path, Path.Combine(RepositoryRoot.Path, "scenarios"));

        Assert.Equal(0, output.ExitCode);
        Assert.Equal(reference.Stdout, output.Stdout);
    }

    [Fact]
    public void Json_prints_one_array_for_all_files_and_keeps_the_exit_code()
    {
        using var dir = new TempScenarios();
        var good = dir.Add("good.flt", Scenarios.Passing);
        var failing = dir.Add("fail.flt", Scenarios.Failing);

        var output = CliOutput.Run("scenario", "--json", good, failing);

        Assert.Equal(1, output.ExitCode);
        using var json = JsonDocument.Parse(output.Stdout);
        var files = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal([good, failing], files.Select(f => f.GetProperty("file").GetString()));
        Assert.Equal([0, 1], files.Select(f => f.GetProperty("failed").GetInt32()));
        var read = files[1].GetProperty("statements")[1];
        Assert.Equal("EFAULT", read.GetProperty("outcome").GetString());
        Assert.False(read.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void Json_still_reports_parse_errors_on_stderr()
    {
        using var dir = new TempScenarios();
        var bad = dir.Add("bad.flt", Scenarios.Malformed);

        var output = CliOutput.Run("scenario", bad, "--json");

        Assert.Equal(2, output.ExitCode);
        Assert.Equal($"{bad}:2:1: undefined process 'p2'\n", output.Stderr);
        using var json = JsonDocument.Parse(output.Stdout);
        Assert.Equal($"{bad}:2:1: undefined process 'p2'", json.RootElement[0].GetProperty("errors")[0].GetString());
    }

    [Theory]
    [InlineData("scenario")]
    [InlineData("scenario", "--json")]
    [InlineData("scenario", "x.flt", "--frobnicate")]
    [InlineData("scenario", "x.flt", "--path")]
    [InlineData("scenario", "x.flt", "--output")]
    public void Usage_errors_exit_2_with_one_message_and_a_hint(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(2, output.ExitCode);
        var lines = output.Stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("faultlab: ", lines[0]);
        Assert.Equal("Try 'faultlab scenario --help'.", lines[1]);
    }

    [Fact]
    public void Every_shipped_scenario_passes_through_the_cli()
    {
        var output = CliOutput.Run("scenario", Path.Combine(RepositoryRoot.Path, "scenarios"));

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
    }
}
