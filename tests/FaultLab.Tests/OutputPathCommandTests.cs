using System.Text.Json;

namespace FaultLab.Tests;

/// <summary>
/// Every writing verb checks its output path before any work starts: a bad one is exit 2 with one line naming the
/// path and the reason, and nothing measured, recorded or written. (The cases of the path mechanism itself are
/// OutputPathTests in FaultLab.Workloads.Tests.) "Read-only" is a place where not even root can create a file:
/// CI runs the tests as root.
/// </summary>
[Collection(nameof(BenchCommandTests))]
public sealed class OutputPathCommandTests : IDisposable
{
    private readonly TempScenarios dir = new();

    public OutputPathCommandTests()
    {
        dir.Add("a.folded", "m;a 1\n");
        dir.Add("b.folded", "m;a 2\n");
        dir.Add("ok.flt", Scenarios.Passing);
        File.WriteAllText(Path.Combine(dir.Directory, "existing-file"), "keep me");
        Directory.CreateDirectory(Path.Combine(dir.Directory, "existing-set"));
        File.WriteAllText(Path.Combine(dir.Directory, "existing-set", "results.json"), "keep me");
    }

    public void Dispose() => dir.Dispose();

    /// <summary>The writing verbs, each with its output option last (the path follows).</summary>
    public static TheoryData<string> Writers => ["bench --output", "bench --out", "run --out", "flame --out", "flame --diff --out"];

    private string[] Command(string writer, string path) => writer switch
    {
        "bench --output" => ["bench", "--quick", "--filter", "wire", "--rounds", "1", "--json", "--output", path],
        "bench --out" => ["bench", "--quick", "--filter", "wire", "--rounds", "1", "--out", path],
        "run --out" => ["run", "--scenarios", dir.Directory, "--seconds", "1", "--bench-rounds", "1", "--out", path],
        "flame --out" => ["flame", "--workload", "wire", "--seconds", "1", "--out", path],
        "flame --diff --out" => ["flame", "--diff", Path.Combine(dir.Directory, "a.folded"), Path.Combine(dir.Directory, "b.folded"), "--out", path],
        _ => throw new ArgumentException(writer),
    };

    private static bool WritesAFile(string writer) => writer == "bench --output";

    private void AssertRefusedBeforeAnyWork(string writer, string path, string reason)
    {
        var before = Directory.GetFileSystemEntries(dir.Directory).Order().ToList();

        var output = CliOutput.Run(Command(writer, path));

        var option = writer.Split(' ')[^1];
        Assert.Equal(2, output.ExitCode);
        Assert.Equal($"faultlab: {option} '{path}': {reason}\n", output.Stderr);
        Assert.Equal("", output.Stdout); // no table, no "recording" line: nothing ran
        Assert.Equal(before, Directory.GetFileSystemEntries(dir.Directory).Order());
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(dir.Directory, "existing-file")));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_missing_parent_directory(string writer)
    {
        var parent = Path.Combine(dir.Directory, "missing");
        AssertRefusedBeforeAnyWork(writer, Path.Combine(parent, "out"), $"its directory '{parent}' does not exist");
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_parent_that_is_a_file(string writer)
    {
        var file = Path.Combine(dir.Directory, "existing-file");
        AssertRefusedBeforeAnyWork(writer, Path.Combine(file, "out"), $"'{file}' is not a directory");
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_read_only_place_even_for_root(string writer)
    {
        var output = CliOutput.Run(Command(writer, "/proc/faultlab-out"));

        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith($"faultlab: {writer.Split(' ')[^1]} '/proc/faultlab-out': nothing can be created in '/proc' (", output.Stderr);
        Assert.Equal("", output.Stdout);
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void An_existing_directory(string writer)
    {
        var set = Path.Combine(dir.Directory, "existing-set");
        AssertRefusedBeforeAnyWork(writer, set,
            WritesAFile(writer) ? "is a directory" : "already exists and is not empty (give --force to replace it)");
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(set, "results.json")));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void An_existing_file(string writer)
    {
        var file = Path.Combine(dir.Directory, "existing-file");
        if (WritesAFile(writer))
        {
            // A regular file is what --output replaces (whole, through a temporary file).
            var output = CliOutput.Run(Command(writer, file));
            Assert.True(output.ExitCode == 0, output.Stderr);
            Assert.Equal("quick", JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("mode").GetString());
            Assert.Equal(["a.folded", "b.folded", "existing-file", "existing-set", "ok.flt"],
                Directory.GetFileSystemEntries(dir.Directory).Select(Path.GetFileName).Order());
            return;
        }
        AssertRefusedBeforeAnyWork(writer, file, "exists and is not a directory");
    }

    [Fact]
    public void Force_replaces_an_existing_result_set()
    {
        var set = Path.Combine(dir.Directory, "existing-set");

        var output = CliOutput.Run([.. Command("bench --out", set), "--force"]);

        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.Equal(["environment.md", "ns-per-fault.png", "ns-per-fault.svg", "ratio-to-generic.png", "ratio-to-generic.svg",
            "results.csv", "results.html", "results.json", "results.md"], Directory.GetFiles(set).Select(Path.GetFileName).Order());
        Assert.Equal("quick", JsonDocument.Parse(File.ReadAllText(Path.Combine(set, "results.json"))).RootElement.GetProperty("mode").GetString());
    }

    [Theory]
    [InlineData("-")]
    [InlineData("/dev/stdout")]
    public void Json_to_standard_output_is_the_only_thing_there(string path)
    {
        var output = CliOutput.Run(Command("bench --output", path));

        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.Equal("quick", JsonDocument.Parse(output.Stdout).RootElement.GetProperty("mode").GetString());
        Assert.Contains("workload", output.Stderr); // the table went to stderr
        Assert.Contains("bench: wrote standard output", output.Stderr);
        Assert.False(File.Exists(Path.Combine(dir.Directory, "-")));
    }

    [Fact]
    public void Json_through_a_symlink_keeps_the_link()
    {
        var target = Path.Combine(dir.Directory, "existing-file");
        var link = Path.Combine(dir.Directory, "link.json");
        File.CreateSymbolicLink(link, target);

        var output = CliOutput.Run(Command("bench --output", link));

        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("quick", JsonDocument.Parse(File.ReadAllText(target)).RootElement.GetProperty("mode").GetString());
    }

    [Fact]
    public void Json_to_a_device_leaves_the_device()
    {
        var output = CliOutput.Run(Command("bench --output", "/dev/null"));

        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.Contains("bench: wrote /dev/null\n", output.Stdout);
        Assert.Equal(Workloads.Output.FileKind.Device, Workloads.Output.FileKinds.Of("/dev/null"));
    }

    [Fact]
    public void Force_needs_an_out()
    {
        foreach (var args in new[] { new[] { "bench", "--quick", "--force" }, ["run", "--force"], ["flame", "--workload", "wire", "--force"] })
        {
            var output = CliOutput.Run(args);
            Assert.Equal(2, output.ExitCode);
            Assert.StartsWith("faultlab: --force applies to --out\n", output.Stderr);
        }
    }
}
