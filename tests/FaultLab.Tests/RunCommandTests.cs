namespace FaultLab.Tests;

public class RunCommandTests
{
    [Fact]
    public void Run_passes_when_every_scenario_passes_and_prints_the_summary_table()
    {
        using var dir = new TempScenarios();
        dir.Add("a.flt", Scenarios.Passing);
        dir.Add("b.flt", Scenarios.Passing);

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "1", "--bench-rounds", "0");

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Matches("\ncheck      result\n---------  -+\npath       specialized\nscenarios  2 passed, 0 failed\n", output.Stdout);
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
    public async Task By_default_the_result_set_goes_to_an_ignored_folder_and_tracked_results_are_untouched()
    {
        using var dir = new TempScenarios();
        dir.Add("a.flt", Scenarios.Passing);
        var cwd = Directory.CreateDirectory(Path.Combine(dir.Directory, "clone")).FullName;
        var tmp = Directory.CreateDirectory(Path.Combine(dir.Directory, "tmp")).FullName;
        var index = Path.Combine(Directory.CreateDirectory(Path.Combine(cwd, "results")).FullName, "README.md");
        File.WriteAllText(index, "# Result sets (tracked)\n");

        using var run = FaultlabProcess.Start(cwd, tmp, "run", "--scenarios", dir.Directory, "--seconds", "1", "--bench-rounds", "1");
        var code = await run.WaitForExit(TimeSpan.FromMinutes(3));

        Assert.True(code == 0, run.Stdout + run.Stderr);
        var sets = Directory.GetDirectories(Path.Combine(cwd, "FaultLab.Artifacts"));
        var set = Assert.Single(sets);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}-quick$", Path.GetFileName(set));
        Assert.True(File.Exists(Path.Combine(set, "results.json")));
        Assert.Contains($"results in FaultLab.Artifacts/{Path.GetFileName(set)}", run.Stdout);
        Assert.Equal("# Result sets (tracked)\n", File.ReadAllText(index));
        Assert.Equal(["README.md"], Directory.GetFileSystemEntries(Path.Combine(cwd, "results")).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
    }

    [Fact]
    public void Run_fails_when_it_checked_nothing()
    {
        using var dir = new TempScenarios(); // no *.flt files

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "0", "--bench-rounds", "0");

        Assert.Equal(1, output.ExitCode);
        Assert.Equal($"faultlab: run: nothing was checked: no *.flt file in '{dir.Directory}' and fuzzing skipped (--seconds 0)\n", output.Stderr);
        Assert.Contains("scenarios  0 passed, 0 failed\n", output.Stdout);
    }

    [Fact]
    public void Out_without_a_bench_is_a_usage_error()
    {
        using var dir = new TempScenarios();

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--bench-rounds", "0", "--out", Path.Combine(dir.Directory, "x"));

        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith("faultlab: --out is where the bench's result set goes, and --bench-rounds 0 skips the bench\n", output.Stderr);
    }

    [Fact]
    public void Run_fails_when_a_scenario_fails_and_shows_the_failure()
    {
        using var dir = new TempScenarios();
        dir.Add("a.flt", Scenarios.Passing);
        var failing = dir.Add("b.flt", Scenarios.Failing);

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "0", "--bench-rounds", "0");

        Assert.Equal(1, output.ExitCode);
        Assert.Contains($"{failing}:2: expected ok, got EFAULT\n", output.Stdout);
        Assert.Contains("scenarios  1 passed, 1 failed\n", output.Stdout);
        Assert.Contains("fuzz       skipped (--seconds 0)\n", output.Stdout);
        Assert.Contains("bench      skipped (--bench-rounds 0)\n", output.Stdout);
    }

    [Fact]
    public void The_quick_bench_runs_in_a_child_because_this_process_runs_the_checked_configuration()
    {
        // run checks the model with its KASSERTs on; a bench in the same process would measure them, so the bench
        // child refuses to measure in a checked process (the test host is one), and run starts it with the checks off.
        Assert.True(FaultLab.Core.ModelChecks.Enabled);
        var e = Assert.Throws<InvalidOperationException>(() =>
            FaultLab.Cli.QuickBenchChild.Host(1, "faultlab run", TextWriter.Null, TextWriter.Null, CancellationToken.None));
        Assert.Contains("checked configuration", e.Message);
    }

    [Fact]
    public void Run_runs_the_quick_bench_between_the_scenarios_and_the_fuzz_and_writes_its_result_set()
    {
        using var dir = new TempScenarios();
        dir.Add("a.flt", Scenarios.Passing);
        var set = Path.Combine(dir.Directory, "results", "today-quick");
        Directory.CreateDirectory(Path.GetDirectoryName(set)!); // an --out needs its parent

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "1", "--bench-rounds", "1", "--out", set);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Matches(@"soft-refault +netbsd +specialized +\d", output.Stdout);
        Assert.Contains("0 B per fault on every built-in workload and path", output.Stdout);
        Assert.Contains($"bench: wrote the result set {set}\n", output.Stdout);
        Assert.Matches(@"bench      8 workloads × 2 families × 3 paths, goals met \d/5, results in ", output.Stdout);
        Assert.True(output.Stdout.IndexOf("soft-refault  generic", StringComparison.Ordinal) < output.Stdout.IndexOf("check      result", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(set, "results.json")));
        Assert.True(File.Exists(Path.Combine(set, "results.md")));
        Assert.True(File.Exists(Path.Combine(set, "environment.md")));
        Assert.Contains("| [today-quick](today-quick/) | quick bench, 8 workloads × 2 families × 3 paths", File.ReadAllText(Path.Combine(dir.Directory, "results", "README.md")));
    }

    [Fact]
    public void Run_counts_a_scenario_with_parse_errors_as_failed()
    {
        using var dir = new TempScenarios();
        var bad = dir.Add("bad.flt", Scenarios.Malformed);

        var output = CliOutput.Run("run", "--scenarios", dir.Directory, "--seconds", "0", "--bench-rounds", "0");

        Assert.Equal(1, output.ExitCode);
        Assert.Equal($"{bad}:2:1: undefined process 'p2'\n", output.Stderr);
        Assert.Contains("scenarios  0 passed, 1 failed\n", output.Stdout);
    }

    [Fact]
    public void Run_without_a_scenarios_directory_exits_2()
    {
        var output = CliOutput.Run("run", "--scenarios", "/nonexistent/scenarios", "--seconds", "0", "--bench-rounds", "0");

        Assert.Equal(2, output.ExitCode);
        Assert.Equal("faultlab: no scenarios directory at '/nonexistent/scenarios'\n", output.Stderr);
    }

    [Theory]
    [InlineData("--seconds", "-1")]
    [InlineData("--seconds", "ten")]
    [InlineData("--seed", "x")]
    [InlineData("--path", "fast")]
    [InlineData("--bench-rounds", "-1")]
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

        var output = CliOutput.Run("run", "--seconds", "0", "--bench-rounds", "0");

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Contains($"scenarios  {count} passed, 0 failed\n", output.Stdout);
        Assert.Equal(Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "scenarios"), "*.flt").Count(), count);
    }
}
