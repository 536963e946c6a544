using FaultLab.Benchmarks.Results;

namespace FaultLab.Tests;

public class CompareCommandTests
{
    private static BenchResult Row(string workload, double ns, double noise = 0.01) => new()
    {
        Workload = workload,
        Path = "specialized",
        NsPerFault = ns,
        NsPerPage = ns,
        BytesPerFault = 0,
        RatioToGeneric = 1,
        Noise = noise,
        FaultsPerBatch = 256,
        PagesPerBatch = 256,
        Samples = 5,
    };

    private static BenchReport Report(params BenchResult[] rows) => new()
    {
        Mode = "quick",
        Date = DateTimeOffset.UnixEpoch,
        Machine = new MachineInfo
        {
            Cpu = "Test CPU", Cores = 2, Os = "Linux", Runtime = ".NET 10", Configuration = "Release",
            TieredCompilation = true, Gc = "workstation",
        },
        Results = rows,
    };

    [Fact]
    public void A_2x_change_is_flagged_and_a_1_percent_change_is_not()
    {
        using var dir = new TempScenarios();
        var old = dir.Add("old.json", ResultJson.Serialize(Report(Row("soft-refault", 100), Row("anon-zfod", 300))));
        var @new = dir.Add("new.json", ResultJson.Serialize(Report(Row("soft-refault", 200), Row("anon-zfod", 303))));

        var output = CliOutput.Run("compare", old, @new);

        Assert.True(output.ExitCode == 1, output.Stdout + output.Stderr); // soft-refault regressed
        var lines = output.Stdout.Split('\n');
        Assert.Matches(@"^soft-refault +specialized +default +100\.0 +200\.0 +2\.000 +±5\.0% +SLOWER$", lines.Single(l => l.StartsWith("soft-refault")));
        Assert.Matches(@"^anon-zfod +specialized +default +300\.0 +303\.0 +1\.010 +±5\.0%$", lines.Single(l => l.StartsWith("anon-zfod")));
        Assert.Contains("compare: 2 figures, 1 changed beyond the noise: 1 slower, 0 faster\n", output.Stdout);
    }

    [Fact]
    public void Result_set_directories_are_read_through_their_results_json()
    {
        using var dir = new TempScenarios();
        var old = ResultSet.Write(Path.Combine(dir.Directory, "old"), Report(Row("wire", 100)));
        var @new = ResultSet.Write(Path.Combine(dir.Directory, "new"), Report(Row("wire", 50)));

        var output = CliOutput.Run("compare", old, @new);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Contains("FASTER", output.Stdout);
    }

    private static BenchResult Ratios(string workload, string path, double ns, double toGeneric, double? toFloor = null) =>
        Row(workload, ns) with
        {
            Path = path,
            RatioToGeneric = toGeneric,
            Floor = toFloor is null ? null : "zero-page",
            FloorNs = toFloor is null ? null : ns / toFloor,
            FloorNoise = toFloor is null ? null : 0.01,
            RatioToFloor = toFloor,
        };

    private static BenchReport Run(double specializedNs) => Report(
        Ratios("anon-zfod", "generic", 400, 1, 2),
        Ratios("anon-zfod", "specialized", specializedNs, specializedNs / 400, specializedNs / 200));

    [Fact]
    public void Threshold_5_percent_exits_1_on_a_planted_regression()
    {
        using var dir = new TempScenarios();
        var old = dir.Add("old.json", ResultJson.Serialize(Run(300)));
        var regressed = dir.Add("new.json", ResultJson.Serialize(Run(330))); // +10%

        var output = CliOutput.Run("compare", "--threshold", "5%", old, regressed);

        Assert.Equal(1, output.ExitCode);
        Assert.Matches(@"\nanon-zfod +specialized +default +300\.0 +330\.0 +1\.100 +±5\.0% +SLOWER\n", output.Stdout);
        Assert.Contains("compare: 1 regressed beyond the threshold (exit 1)\n", output.Stdout);
    }

    [Fact]
    public void Threshold_5_percent_exits_0_on_identical_results()
    {
        using var dir = new TempScenarios();
        var old = dir.Add("old.json", ResultJson.Serialize(Run(300)));
        var same = dir.Add("same.json", ResultJson.Serialize(Run(300)));

        var output = CliOutput.Run("compare", "--threshold", "5%", old, same);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Contains("compare: 3 figures, none changed beyond the noise\n", output.Stdout);
    }

    [Fact]
    public void A_regression_within_a_larger_threshold_passes()
    {
        using var dir = new TempScenarios();
        var old = dir.Add("old.json", ResultJson.Serialize(Run(300)));
        var regressed = dir.Add("new.json", ResultJson.Serialize(Run(330)));

        Assert.Equal(0, CliOutput.Run("compare", "--threshold", "15", old, regressed).ExitCode);
        Assert.Equal(1, CliOutput.Run("compare", "--threshold", "9.5%", old, regressed).ExitCode);
    }

    [Fact]
    public void Ratio_mode_ignores_a_machine_that_slowed_everything_alike()
    {
        using var dir = new TempScenarios();
        var old = dir.Add("old.json", ResultJson.Serialize(Run(300)));
        // Everything 30% slower (a busy machine): the times regressed, the ratios did not.
        var busy = Report(Ratios("anon-zfod", "generic", 520, 1, 2), Ratios("anon-zfod", "specialized", 390, 0.75, 1.5));
        var @new = dir.Add("busy.json", ResultJson.Serialize(busy));

        var times = CliOutput.Run("compare", old, @new);
        var ratios = CliOutput.Run("compare", "--ratios", old, @new);

        Assert.Equal(1, times.ExitCode);
        Assert.True(ratios.ExitCode == 0, ratios.Stdout);
        Assert.Matches(@"\nanon-zfod +specialized × generic +default +0\.750 +0\.750 +1\.000 +±5\.0%\n", ratios.Stdout);
        Assert.Matches(@"\nanon-zfod +specialized × floor +default +1\.500 +1\.500 +1\.000 +±5\.0%\n", ratios.Stdout);
    }

    [Fact]
    public void Markdown_csv_and_json_forms_of_the_comparison()
    {
        using var dir = new TempScenarios();
        var old = dir.Add("old.json", ResultJson.Serialize(Run(300)));
        var @new = dir.Add("new.json", ResultJson.Serialize(Run(330)));

        var markdown = CliOutput.Run("compare", "--markdown", old, @new);
        var csv = CliOutput.Run("compare", "--csv", old, @new);
        var json = CliOutput.Run("compare", "--json", old, @new);

        Assert.StartsWith("| workload | figure | job | old ns | new ns | new/old | threshold | change |\n|---|---|---|---:|---:|---:|---:|---|\n", markdown.Stdout);
        Assert.Contains("| anon-zfod | specialized | default | 300.0 | 330.0 | 1.100 | ±5.0% | SLOWER |\n", markdown.Stdout);
        Assert.StartsWith("workload,figure,job,old ns,new ns,new/old,threshold,change\n", csv.Stdout);
        Assert.Contains("anon-zfod,specialized,default,300.0,330.0,1.100,±5.0%,SLOWER\n", csv.Stdout);
        var rows = System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("figure").GetString() == "specialized" && r.GetProperty("regressed").GetBoolean());
        Assert.All([markdown, csv, json], o => Assert.Equal(1, o.ExitCode));
        Assert.All([markdown, csv, json], o => Assert.Contains("compare: 1 regressed", o.Stderr)); // the rest is on stderr
    }

    [Fact]
    public void Out_writes_the_comparison_as_markdown_csv_json_and_an_old_new_plot()
    {
        using var dir = new TempScenarios();
        var old = dir.Add("old.json", ResultJson.Serialize(Run(300)));
        var @new = dir.Add("new.json", ResultJson.Serialize(Run(330)));
        var set = Path.Combine(dir.Directory, "cmp");

        var output = CliOutput.Run("compare", old, @new, "--out", set);

        Assert.Equal(1, output.ExitCode);
        Assert.Contains($"compare: wrote {set}\n", output.Stdout);
        Assert.Equal(["compare.png", "compare.svg", "comparison.csv", "comparison.json", "comparison.md"],
            Directory.GetFiles(set).Select(Path.GetFileName).Order());
        Assert.Contains("| anon-zfod | specialized | default | 300.0 | 330.0 | 1.100 | ±5.0% | SLOWER |", File.ReadAllText(Path.Combine(set, "comparison.md")));
        Assert.Equal("svg", System.Xml.Linq.XDocument.Load(Path.Combine(set, "compare.svg")).Root!.Name.LocalName);
    }

    [Fact]
    public void Unreadable_input_exits_2()
    {
        using var dir = new TempScenarios();
        var good = dir.Add("good.json", ResultJson.Serialize(Report(Row("wire", 100))));
        var bad = dir.Add("bad.json", "{ not json");

        var missing = CliOutput.Run("compare", good, Path.Combine(dir.Directory, "missing.json"));
        var malformed = CliOutput.Run("compare", bad, good);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("missing.json", missing.Stderr);
        Assert.Equal(2, malformed.ExitCode);
        Assert.StartsWith($"faultlab: {bad}: not a faultlab results file", malformed.Stderr);
    }

    [Theory]
    [InlineData("compare")]
    [InlineData("compare", "one.json")]
    [InlineData("compare", "a", "b", "c")]
    [InlineData("compare", "--bogus", "a", "b")]
    [InlineData("compare", "--threshold", "five", "a", "b")]
    [InlineData("compare", "--markdown", "--csv", "a", "b")]
    public void Wrong_usage_exits_2(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(2, output.ExitCode);
        Assert.EndsWith("Try 'faultlab compare --help'.\n", output.Stderr);
    }
}
