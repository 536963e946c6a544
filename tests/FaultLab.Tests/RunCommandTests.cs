namespace FaultLab.Tests;

public class RunCommandTests
{
    [Fact]
    public void Run_passes_when_every_scenario_passes_and_prints_the_summary_table()
    {
        using var dir = new TempScenarios();
        dir.Add("a.flt", Scenarios.Passing);
        dir.Add("b.flt", Scenarios.Passing);

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "1");

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Contains("\ncheck      result\n---------  ------\npath       specialized\nscenarios  2 passed, 0 failed\n", output.Stdout);
        Assert.Matches(@"fuzz       \d+ runs, \d+ operations, 0 violations \(seed 1, 1 s\)", output.Stdout);
    }

    [Theory]
    [InlineData("generic")]
    [InlineData("specialized")]
    [InlineData("monomorphized")]
    public void The_summary_says_which_path_ran(string path)
    {
        using var dir = new TempScenarios();
        dir.Add("a.flt", Scenarios.Passing);

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "0", "--path", path);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Contains($"\npath       {path}\nscenarios  1 passed, 0 failed\n", output.Stdout);
    }

    [Fact]
    public void Run_fails_when_a_scenario_fails_and_shows_the_failure()
    {
        using var dir = new TempScenarios();
        dir.Add("a.flt", Scenarios.Passing);
        var failing = dir.Add("b.flt", Scenarios.Failing);

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "0");

        Assert.Equal(1, output.ExitCode);
        Assert.Contains($"{failing}:2: expected ok, got EFAULT\n", output.Stdout);
        Assert.Contains("scenarios  1 passed, 1 failed\n", output.Stdout);
        Assert.Contains("fuzz       skipped (--seconds 0)\n", output.Stdout);
    }

    [Fact]
    public void Run_counts_a_scenario_with_parse_errors_as_failed()
    {
        using var dir = new TempScenarios();
        var bad = dir.Add("bad.flt", Scenarios.Malformed);

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "0");

        Assert.Equal(1, output.ExitCode);
        Assert.Equal($"{bad}:2:1: undefined process 'p2'\n", output.Stderr);
        Assert.Contains("scenarios  0 passed, 1 failed\n", output.Stdout);
    }

    [Fact]
    public void Run_without_a_scenarios_directory_exits_2()
    {
        var output = CliOutput.Run("run", "--scenarios", "/nonexistent/scenarios", "--seconds", "0");

        Assert.Equal(2, output.ExitCode);
        Assert.Equal("faultlab: no scenarios directory at '/nonexistent/scenarios'\n", output.Stderr);
    }

    [Theory]
    [InlineData("--seconds", "-1")]
    [InlineData("--seconds", "ten")]
    [InlineData("--seed", "x")]
    [InlineData("--path", "fast")]
    [InlineData("extra")]
    public void Run_rejects_bad_arguments_with_exit_2(params string[] args)
    {
        var output = CliOutput.Run(["run", .. args]);

        Assert.Equal(2, output.ExitCode);
        Assert.EndsWith("Try 'faultlab run --help'.\n", output.Stderr);
    }

    [Fact]
    public void Run_finds_the_scenarios_shipped_beside_the_tool()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "scenarios");
        var count = Directory.EnumerateFiles(shipped, "*.flt").Count();

        var output = CliOutput.Run("run", "--seconds", "0");

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Contains($"scenarios  {count} passed, 0 failed\n", output.Stdout);
        Assert.Equal(Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "scenarios"), "*.flt").Count(), count);
    }
}
