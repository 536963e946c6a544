using System.Text.Json;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Tests;

/// <summary><c>faultlab bench</c>: usage, the quick bench's output and files, the BenchmarkDotNet path (dry, in-process).
/// Figures are never asserted, only their shape.</summary>
[Collection(nameof(BenchCommandTests))]
public class BenchCommandTests
{
    private static readonly string[] Quick = ["bench", "--quick", "--rounds", "2", "--sample-ms", "1", "--warmup-ms", "0"];

    [Fact]
    public void An_unknown_workload_exits_2_and_lists_the_valid_ones()
    {
        var output = CliOutput.Run([.. Quick, "--filter", "soft-refault,nope"]);

        Assert.Equal(2, output.ExitCode);
        Assert.Contains($"unknown workload 'nope'; workloads: {string.Join(", ", WorkloadCatalog.Names)}", output.Stderr);
        Assert.EndsWith("Try 'faultlab bench --help'.\n", output.Stderr);
        Assert.Equal("", output.Stdout);
    }

    [Theory]
    [InlineData("bench", "--rounds", "3")]
    [InlineData("bench", "--quick", "--dry")]
    [InlineData("bench", "--quick", "--in-process")]
    [InlineData("bench", "--quick", "--rounds", "0")]
    [InlineData("bench", "--quick", "--filter", ",")]
    [InlineData("bench", "--quick", "--output")]
    [InlineData("bench", "--quick", "--filter", "nothing*")]
    [InlineData("bench", "--quick", "extra")]
    [InlineData("bench", "--fast")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(2, output.ExitCode);
        Assert.EndsWith("Try 'faultlab bench --help'.\n", output.Stderr);
    }

    [Fact]
    public void Quick_json_has_the_machine_and_a_row_per_workload_and_path()
    {
        using var dir = new TempScenarios();
        var json = Path.Combine(dir.Directory, "bench.json");

        var output = CliOutput.Run([.. Quick, "--filter", "anon-zfod,soft-*", "--json", "--output", json]);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Contains($"bench: wrote {json}\n", output.Stdout);
        Assert.Contains("bench: [2/2] anon-zfod measured", output.Stderr); // catalog order, whatever the filter's
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var machine = doc.RootElement.GetProperty("machine");
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("cpu").GetString()));
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("cores").GetInt32());
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("os").GetString()));
        Assert.StartsWith(".NET", machine.GetProperty("runtime").GetString());
        var rows = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(
            ["soft-refault/netbsd/generic", "soft-refault/netbsd/specialized", "soft-refault/netbsd/monomorphized",
             "soft-refault/freebsd/generic", "soft-refault/freebsd/specialized", "soft-refault/freebsd/monomorphized",
             "anon-zfod/netbsd/generic", "anon-zfod/netbsd/specialized", "anon-zfod/netbsd/monomorphized",
             "anon-zfod/freebsd/generic", "anon-zfod/freebsd/specialized", "anon-zfod/freebsd/monomorphized"],
            rows.Select(r => $"{r.GetProperty("workload").GetString()}/{r.GetProperty("family").GetString()}/{r.GetProperty("path").GetString()}"));
        // The FreeBSD rows are compared with NetBSD's batch, the NetBSD rows with nothing.
        Assert.All(rows, r => Assert.Equal(r.GetProperty("family").GetString() == "freebsd", r.TryGetProperty("ratioToDefaultFamily", out _)));
        Assert.All(rows, r => Assert.Equal(0, r.GetProperty("bytesPerFault").GetDouble()));
        Assert.All(rows, r => Assert.True(r.GetProperty("nsPerFault").GetDouble() > 0));
        Assert.All(rows, r => Assert.True(r.GetProperty("nsPerPage").GetDouble() > 0));
        Assert.All(rows, r => Assert.True(r.GetProperty("ratioToGeneric").GetDouble() > 0));
        Assert.All(rows, r => Assert.Equal(r.GetProperty("workload").GetString() == "anon-zfod", r.TryGetProperty("floorNs", out _)));
        Assert.All(rows, r => Assert.Equal(r.GetProperty("workload").GetString() == "anon-zfod", r.TryGetProperty("ratioToFloor", out _)));
        Assert.Equal(["soft-refault/netbsd/generic", "soft-refault/freebsd/generic", "anon-zfod/netbsd/generic", "anon-zfod/freebsd/generic"],
            rows.Where(r => r.GetProperty("ratioToGeneric").GetDouble() == 1 && r.GetProperty("path").GetString() == "generic")
                .Select(r => $"{r.GetProperty("workload").GetString()}/{r.GetProperty("family").GetString()}/generic"));
    }

    [Fact]
    public void Quick_out_writes_a_result_set_and_indexes_it()
    {
        using var dir = new TempScenarios();
        var set = Path.Combine(dir.Directory, "results", "2026-01-01-quick");
        Directory.CreateDirectory(Path.GetDirectoryName(set)!); // an --out needs its parent

        var output = CliOutput.Run([.. Quick, "--filter", "wire", "--out", set, "--note", "smoke"]);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Equal(["environment.md", "ns-per-fault.png", "ns-per-fault.svg", "ratio-to-generic.png", "ratio-to-generic.svg",
            "results.csv", "results.html", "results.json", "results.md"], Directory.GetFiles(set).Select(Path.GetFileName).Order());
        Assert.Contains("**Note:** smoke", File.ReadAllText(Path.Combine(set, "results.md")));
        var index = File.ReadAllText(Path.Combine(dir.Directory, "results", "README.md"));
        Assert.Contains("| [2026-01-01-quick](2026-01-01-quick/) | quick bench, 1 workloads × 2 families × 3 paths", index);
        Assert.Equal(["2026-01-01-quick", "README.md"], Directory.GetFileSystemEntries(Path.Combine(dir.Directory, "results")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Quick_prints_the_table_and_the_goals()
    {
        var output = CliOutput.Run([.. Quick, "--filter", "soft-refault"]);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Matches(@"workload +family +path +ns/fault +ns/page +B/fault +× generic", output.Stdout);
        Assert.Matches(@"soft-refault +netbsd +monomorphized +\d", output.Stdout);
        Assert.Matches(@"soft-refault +freebsd +monomorphized +\d", output.Stdout);
        Assert.Contains("soft-refault: specialized ≤ 0.67 × generic", output.Stdout);
        Assert.Matches(@"anon-zfod: specialized within 1.5 × the data floor +not run +not measured", output.Stdout);
    }

    [Fact]
    public void Kernel_figures_are_printed_or_their_absence_explained()
    {
        using var dir = new TempScenarios();
        var json = Path.Combine(dir.Directory, "bench.json");

        var output = CliOutput.Run([.. Quick, "--filter", "anon-zfod", "--kernel", "--json", "-o", json]);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        if (FaultLab.Workloads.Kernel.KernelFaults.IsSupported)
        {
            Assert.Contains("this machine's kernel beside the model:", output.Stdout);
            Assert.True(doc.RootElement.TryGetProperty("kernel", out _));
        }
        else
        {
            Assert.Contains("--kernel: measuring this machine's own page faults is not supported here", output.Stderr);
        }
    }

    [Fact]
    public void BenchmarkDotNet_dry_in_process_gives_the_same_rows()
    {
        using var dir = new TempScenarios();
        var json = Path.Combine(dir.Directory, "bench.json");

        var output = CliOutput.Run("bench", "--in-process", "--dry", "--filter", "*Wire*", "--json", "--output", json);

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Contains("bench: [1/3] WireBenchmarks.Generic (default)", output.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("benchmarkdotnet", doc.RootElement.GetProperty("mode").GetString());
        Assert.Equal(["generic", "specialized", "monomorphized"],
            doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("path").GetString()));
    }

    [Fact]
    public void A_scenario_file_benches_end_to_end_on_every_path()
    {
        var file = Path.Combine(RepositoryRoot.Path, "scenarios", "bench", "anon-remap.flt");

        var output = CliOutput.Run("bench", "--scenario", file, "--rounds", "2", "--sample-ms", "1", "--warmup-ms", "0", "--json");

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        using var doc = JsonDocument.Parse(output.Stdout);
        var rows = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["generic", "specialized", "monomorphized"], rows.Select(r => r.GetProperty("path").GetString()));
        Assert.All(rows, r => Assert.Equal("scenario:anon-remap", r.GetProperty("workload").GetString()));
        Assert.All(rows, r => Assert.Equal(4, r.GetProperty("faultsPerBatch").GetInt32())); // the four 2B faults of the batch
        Assert.All(rows, r => Assert.True(r.GetProperty("nsPerFault").GetDouble() > 0));
        Assert.Contains("scenario:anon-remap  generic", output.Stderr); // the table, beside the JSON
    }

    [Fact]
    public void A_scenario_file_the_bench_cannot_use_is_exit_2_before_anything_runs()
    {
        using var dir = new TempScenarios();
        var noMarker = dir.Add("plain.flt", Scenarios.Passing);
        var empty = dir.Add("empty.flt", Scenarios.Passing + "\n# bench: batch\n");
        var broken = dir.Add("broken.flt", "proc p1\n# bench: batch\np2 read 0x5000\n");

        var outputs = new[] { noMarker, empty, broken }.Select(f => CliOutput.Run("bench", "--scenario", f)).ToList();

        Assert.All(outputs, o => Assert.Equal(2, o.ExitCode));
        Assert.All(outputs, o => Assert.Equal("", o.Stdout));
        Assert.Equal($"{noMarker}: no '# bench: batch' line: the statements after it are the batch bench measures\n", outputs[0].Stderr);
        Assert.Equal($"{empty}:6: no statement after '# bench: batch': the batch is empty\n", outputs[1].Stderr);
        Assert.StartsWith($"{broken}:3:1: ", outputs[2].Stderr);
    }

    [Fact]
    public void A_batch_that_does_not_hold_every_time_stops_the_bench_with_exit_1()
    {
        using var dir = new TempScenarios();
        // The batch does not undo itself: the second time, the page is resident and the write is no 2B fault.
        var file = dir.Add("once.flt", "proc p1\np1 mmap 0x10000 1 rw anon private\n# bench: batch\np1 write 0x10000 0x41 => 2B\n");

        var output = CliOutput.Run("bench", "--scenario", file, "--rounds", "1", "--sample-ms", "1", "--warmup-ms", "0");

        Assert.Equal(1, output.ExitCode);
        Assert.Contains($"bench: {file}:4: batch statement failed on the generic path: expected 2B", output.Stderr);
    }

    [Fact]
    public void Workloads_lists_every_built_in_workload_with_what_it_measures()
    {
        var text = CliOutput.Run("workloads");
        var json = CliOutput.Run("workloads", "--json");

        Assert.Equal(0, text.ExitCode);
        foreach (var name in FaultLab.Workloads.BuiltIn.WorkloadCatalog.Names)
        {
            var description = FaultLab.Workloads.BuiltIn.WorkloadCatalog.Create(name)!.Description;
            Assert.Matches($"\n{System.Text.RegularExpressions.Regex.Escape(name)} .* {System.Text.RegularExpressions.Regex.Escape(description)}\n", text.Stdout);
        }
        var rows = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(FaultLab.Workloads.BuiltIn.WorkloadCatalog.Names, rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("zero-page", rows.Single(r => r.GetProperty("name").GetString() == "anon-zfod").GetProperty("floor").GetString());
    }

    [Fact]
    public void The_recorded_command_line_quotes_what_a_shell_would_split()
    {
        Assert.Equal("faultlab bench --quick --note 'machine busy' --out results/x",
            Cli.BenchCommand.CommandLine("bench", ["--quick", "--note", "machine busy", "--out", "results/x"]));
        Assert.Equal("faultlab run --note 'it'\\''s' ''", Cli.BenchCommand.CommandLine("run", ["--note", "it's", ""]));
    }

    [Fact]
    public void Help_describes_the_options()
    {
        var output = CliOutput.Run("help", "bench");

        Assert.Equal(0, output.ExitCode);
        foreach (var option in new[] { "--quick", "--filter", "--json", "--out", "--kernel", "--rounds", "--in-process", "--dry" })
            Assert.Contains(option, output.Stdout);
    }
}

[CollectionDefinition(nameof(BenchCommandTests), DisableParallelization = true)]
public sealed class BenchCommandTestsCollection;
