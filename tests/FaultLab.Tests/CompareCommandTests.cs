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

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
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
    public void Wrong_usage_exits_2(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(2, output.ExitCode);
        Assert.EndsWith("Try 'faultlab compare --help'.\n", output.Stderr);
    }
}
