using System.Text.Json;
using FaultLab.Benchmarks.Results;
using FaultLab.Workloads.Kernel;

namespace FaultLab.Benchmarks.Tests;

/// <summary>results.json's schema, result sets on disk, and the index of results/.</summary>
public class ResultSetTests
{
    internal static BenchResult Row(string workload, string path, double ns, double noise = 0.01, string? floor = null, double? floorNs = null) => new()
    {
        Workload = workload,
        Path = path,
        NsPerFault = ns,
        NsPerPage = ns,
        BytesPerFault = 0,
        RatioToGeneric = 1,
        Floor = floor,
        FloorNs = floorNs,
        FloorNoise = floorNs is null ? null : 0.01,
        RatioToFloor = floorNs is { } f ? ns / f : null,
        Noise = noise,
        FaultsPerBatch = 256,
        PagesPerBatch = 256,
        Samples = 5,
    };

    internal static BenchReport Report(params BenchResult[] rows) => new()
    {
        Mode = "quick",
        Date = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Command = "faultlab bench --quick",
        Machine = new MachineInfo
        {
            Cpu = "Test CPU",
            Cores = 2,
            Os = "Linux",
            Runtime = ".NET 10.0.0",
            Configuration = "Release",
            TieredCompilation = true,
            Gc = "workstation",
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            GitDirty = false,
        },
        Results = rows,
    };

    [Fact]
    public void Results_json_has_the_documented_fields()
    {
        var report = Report(Row("anon-zfod", "generic", 100, floor: "zero-page", floorNs: 80)) with
        {
            Kernel = [new KernelFaultResult("anon-zfod", 4096, 4096, 0, 250, 250)],
        };
        using var json = JsonDocument.Parse(ResultJson.Serialize(report));
        var root = json.RootElement;
        Assert.Equal("faultlab-bench/1", root.GetProperty("schema").GetString());
        foreach (var field in new[] { "cpu", "cores", "os", "runtime", "gitCommit" })
            Assert.True(root.GetProperty("machine").TryGetProperty(field, out _), field);
        var row = root.GetProperty("results")[0];
        foreach (var field in new[] { "workload", "path", "job", "nsPerFault", "nsPerPage", "bytesPerFault", "ratioToGeneric", "floorNs", "ratioToFloor", "noise" })
            Assert.True(row.TryGetProperty(field, out _), field);
        Assert.False(row.TryGetProperty("key", out _));
        Assert.Equal("anon-zfod", root.GetProperty("kernel")[0].GetProperty("pattern").GetString());
    }

    [Fact]
    public void Rows_without_a_floor_leave_the_floor_fields_out()
    {
        using var json = JsonDocument.Parse(ResultJson.Serialize(Report(Row("soft-refault", "generic", 60))));
        var row = json.RootElement.GetProperty("results")[0];
        Assert.False(row.TryGetProperty("floorNs", out _));
        Assert.False(row.TryGetProperty("ratioToFloor", out _));
    }

    [Fact]
    public void Results_json_round_trips()
    {
        var report = Report(Row("anon-zfod", "generic", 100, floor: "zero-page", floorNs: 80)) with { Note = "busy" };
        var back = ResultJson.Deserialize(ResultJson.Serialize(report), "test");
        Assert.Equal(ResultJson.Serialize(report), ResultJson.Serialize(back));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"schema\": \"faultlab-bench/1\"}")]
    [InlineData("{\"schema\": \"other/9\", \"mode\": \"quick\"}")]
    public void Anything_else_is_refused_with_its_source(string text)
    {
        var error = Assert.Throws<ResultReadException>(() => ResultJson.Deserialize(text, "some.json"));
        Assert.StartsWith("some.json: ", error.Message);
    }

    /// <summary>What every result set holds: the markdown, CSV, HTML and JSON forms, the machine, and the plots.</summary>
    internal static readonly string[] ExportedFiles =
    [
        "environment.md", "ns-per-fault.png", "ns-per-fault.svg", "ratio-to-generic.png", "ratio-to-generic.svg",
        "results.csv", "results.html", "results.json", "results.md",
    ];

    [Fact]
    public void A_result_set_carries_csv_html_and_plots_as_svg_and_png()
    {
        var root = Directory.CreateTempSubdirectory("faultlab-results-");
        try
        {
            var report = Report(
                Row("anon-zfod", "generic", 300, floor: "zero-page", floorNs: 100),
                Row("anon-zfod", "specialized", 240, floor: "zero-page", floorNs: 100) with { RatioToGeneric = 0.8 },
                Row("wire", "generic", 50), Row("wire", "specialized", 45) with { RatioToGeneric = 0.9 });
            var set = ResultSet.Write(Path.Combine(root.FullName, "set"), report);

            var csv = File.ReadAllLines(Path.Combine(set, "results.csv"));
            Assert.Equal("workload,family,path,job,ns_per_fault,ns_per_page,bytes_per_fault,ratio_to_generic,floor,floor_ns,ratio_to_floor,batch_ratio_to_default_family,noise,faults_per_batch,samples", csv[0]);
            Assert.Equal("anon-zfod,netbsd,specialized,default,240,240,0,0.8,zero-page,100,2.4,,0.01,256,5", csv[2]);
            Assert.Equal(5, csv.Length);
            var html = File.ReadAllText(Path.Combine(set, "results.html"));
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.Contains("<td>anon-zfod</td><td>specialized</td><td class=\"num\">240.0</td>", html);
            Assert.Equal(2, html.Split("<svg").Length - 1);
            foreach (var plot in ResultPlots.ResultSetPlots)
            {
                var svg = System.Xml.Linq.XDocument.Load(Path.Combine(set, plot + ".svg"));
                Assert.Equal("svg", svg.Root!.Name.LocalName);
                Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value.Trim() == "anon-zfod");
                var png = File.ReadAllBytes(Path.Combine(set, plot + ".png"));
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
                Assert.True(png.Length > 5000, $"{plot}.png: {png.Length} bytes");
            }
            Assert.Contains("![ns per fault](ns-per-fault.svg)", File.ReadAllText(Path.Combine(set, "results.md")));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_result_set_is_written_whole_and_indexed_in_results()
    {
        var root = Directory.CreateTempSubdirectory("faultlab-results-");
        try
        {
            var results = Path.Combine(root.FullName, "results");
            var report = Report(Row("soft-refault", "generic", 60), Row("soft-refault", "specialized", 40) with { RatioToGeneric = 0.6667 });
            var set = ResultSet.Write(Path.Combine(results, "2026-01-02-quick"), report);

            Assert.Equal(ExportedFiles, Directory.GetFiles(set).Select(Path.GetFileName).Order());
            Assert.Equal(ResultJson.Serialize(report), File.ReadAllText(Path.Combine(set, "results.json")));
            Assert.Contains("| soft-refault | specialized |", File.ReadAllText(Path.Combine(set, "results.md")));
            Assert.Contains("Test CPU", File.ReadAllText(Path.Combine(set, "environment.md")));
            Assert.Contains("0123456789abcdef", File.ReadAllText(Path.Combine(set, "environment.md")));

            // Rewriting a set is refused unless forced, and then replaces it; a second set gets its own line, in
            // name order; nothing temporary is left.
            var refused = Assert.Throws<FaultLab.Workloads.Output.OutputPathException>(() => ResultSet.Write(Path.Combine(results, "2026-01-02-quick"), report));
            Assert.Contains("already exists", refused.Message);
            ResultSet.Write(Path.Combine(results, "2026-01-02-quick"), report, force: true);
            ResultSet.Write(Path.Combine(results, "2026-01-01-quick"), report);
            Assert.Equal(["2026-01-01-quick", "2026-01-02-quick"], Directory.GetDirectories(results).Select(Path.GetFileName).Order());
            var index = File.ReadAllLines(Path.Combine(results, "README.md"));
            var rows = index.Where(l => l.StartsWith("| [")).ToList();
            Assert.Equal(2, rows.Count);
            Assert.StartsWith("| [2026-01-01-quick](2026-01-01-quick/) | quick bench, 1 workloads × 2 paths on Test CPU", rows[0]);
            Assert.StartsWith("| [2026-01-02-quick](2026-01-02-quick/) | ", rows[1]);
            Assert.Contains("soft-refault specialized 0.667 × generic", rows[1]);
            Assert.Contains("| result set | what |", index);
            Assert.Equal(["2026-01-01-quick", "2026-01-02-quick", "README.md"], Directory.GetFileSystemEntries(results).Select(Path.GetFileName).Order());
            Assert.Equal(ResultJson.Serialize(report), ResultJson.Serialize(ResultJson.Read(Path.Combine(results, "2026-01-01-quick"))));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_set_joins_the_table_of_an_existing_index_in_name_order()
    {
        var results = Directory.CreateTempSubdirectory("faultlab-index-");
        try
        {
            File.WriteAllText(Path.Combine(results.FullName, "README.md"), """
                # Result sets

                Intro.

                | result set | what |
                |---|---|
                | [2026-01-01-diff](2026-01-01-diff/) | a diff |
                | [2026-01-03-diff](2026-01-03-diff/) | another |

                Trailing text.
                """);
            ResultSet.Write(Path.Combine(results.FullName, "2026-01-02-quick"), Report(Row("wire", "generic", 80)) with { Note = "a | b" });

            var lines = File.ReadAllLines(Path.Combine(results.FullName, "README.md"));
            Assert.Equal(["2026-01-01-diff", "2026-01-02-quick", "2026-01-03-diff"],
                lines.Where(l => l.StartsWith("| [")).Select(l => l[3..l.IndexOf(']')]));
            Assert.Contains("| [2026-01-03-diff](2026-01-03-diff/) | another |", lines);
            Assert.EndsWith("(a \\| b) |", lines.Single(l => l.StartsWith("| [2026-01-02")));
            Assert.Equal("Trailing text.", lines[^1]);
        }
        finally
        {
            results.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_json_file_is_replaced_through_a_temporary_file()
    {
        var dir = Directory.CreateTempSubdirectory("faultlab-json-");
        try
        {
            var file = Path.Combine(dir.FullName, "out.json");
            File.WriteAllText(file, "old");
            ResultJson.Write(Report(Row("wire", "generic", 80)), file);
            Assert.Equal("wire", ResultJson.Read(file).Results[0].Workload);
            Assert.Equal(["out.json"], Directory.GetFiles(dir.FullName).Select(Path.GetFileName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Goals_are_judged_on_the_rows_of_the_run()
    {
        var goals = Goals.Evaluate([
            Row("soft-refault", "generic", 100),
            Row("soft-refault", "specialized", 60) with { RatioToGeneric = 0.6 },
            Row("soft-refault", "monomorphized", 70) with { RatioToGeneric = 0.7 },
            Row("anon-zfod", "specialized", 100, floor: "zero-page", floorNs: 80),
            Row("fork-cow", "specialized", 400, floor: "copy-page", floorNs: 100) with { BytesPerFault = 8 },
        ]);
        Assert.Equal([false, true, true, true, false], goals.Select(g => g.Met));
        Assert.Contains("fork-cow", goals[0].Measured);
    }
}
