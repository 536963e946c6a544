using FaultLab.Core;
using FaultLab.Workloads.Scenarios;
using static FaultLab.Workloads.Tests.Scenarios.ParserTestSupport;

namespace FaultLab.Workloads.Tests.Scenarios;

/// <summary>
/// Every fault path must behave as the generic one: every scenario file of the repository (<c>scenarios/</c>) and
/// of the project's shared documents (<c>../shared/scenarios/</c>, when that folder exists) gives the same text
/// transcript, the same JSON transcript and the same final machine fingerprint on each path.
/// </summary>
public class PathEquivalenceTests
{
    static readonly string[] Folders =
    [
        Path.Combine(RepositoryRoot.Path, "scenarios"),
        Path.Combine(RepositoryRoot.Path, "..", "shared", "scenarios"),
    ];

    /// <summary>The files, relative to the repository root (for readable test names).</summary>
    public static TheoryData<string> Files => new(AllFiles());

    static List<string> AllFiles() => Folders.Where(Directory.Exists)
        .SelectMany(ScenarioFiles.InDirectory)
        .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f))
        .ToList();

    public static TheoryData<FaultPath> OtherPaths => new(Enum.GetValues<FaultPath>().Where(p => p != FaultPath.Generic));

    [Fact]
    public void Both_folders_are_found_when_they_exist()
    {
        var expected = Folders.Where(Directory.Exists).Sum(d => ScenarioFiles.InDirectory(d).Count);

        Assert.Equal(expected, AllFiles().Count);
        Assert.True(expected >= 12, $"only {expected} scenario files");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_scenario_gives_the_same_transcripts_and_final_state_on_every_path(string file)
    {
        var full = Path.Combine(RepositoryRoot.Path, file);
        var reference = Observe(full, FaultPath.Generic);
        Assert.True(reference.Result.Ran, string.Join("\n", reference.Result.Errors));
        Assert.NotNull(reference.Result.Fingerprint);

        foreach (var path in Enum.GetValues<FaultPath>().Where(p => p != FaultPath.Generic))
        {
            var other = Observe(full, path);
            Assert.True(reference.Text == other.Text, $"{path}: the text transcript differs\n{Diff(reference.Text, other.Text)}");
            Assert.True(reference.Json == other.Json, $"{path}: the JSON transcript differs\n{Diff(reference.Json, other.Json)}");
            Assert.True(reference.Result.Fingerprint == other.Result.Fingerprint,
                $"{path}: the final fingerprint differs: generic 0x{reference.Result.Fingerprint:x16}, " +
                $"{path.ToString().ToLowerInvariant()} 0x{other.Result.Fingerprint:x16}");
        }
    }

    [Theory]
    [MemberData(nameof(OtherPaths))]
    public void A_different_final_state_gives_a_different_fingerprint(FaultPath path)
    {
        const string Common = """
            machine pages=64
            proc p1
            p1 mmap 0x10000 2 rw anon private
            p1 write 0x10000 0x41
            """;
        ScenarioResult Run(string text) => ScenarioRunner.Run(ScenarioParser.Parse(FileName, text), path);

        var once = Run(Common);
        var again = Run(Common);
        var otherByte = Run(Common.Replace("0x41", "0x42", StringComparison.Ordinal));
        var morePages = Run(Common + "\np1 read 0x11000\n");

        Assert.NotNull(once.Fingerprint);
        Assert.Equal(once.Fingerprint, again.Fingerprint);
        Assert.NotEqual(once.Fingerprint, otherByte.Fingerprint);
        Assert.NotEqual(once.Fingerprint, morePages.Fingerprint);
    }

    [Fact]
    public void A_file_that_did_not_run_has_no_fingerprint()
    {
        Assert.Null(ScenarioFiles.Run("/nonexistent/x.flt").Fingerprint);
        Assert.Null(ScenarioResult.NotRun("x.flt", ["x.flt:1:1: broken"]).Fingerprint);
    }

    sealed record Observation(ScenarioResult Result, string Text, string Json);

    static Observation Observe(string file, FaultPath path)
    {
        var result = ScenarioFiles.Run(file, path);
        var text = new StringWriter { NewLine = "\n" };
        TextTranscript.Write(result, text);
        var json = new StringWriter { NewLine = "\n" };
        JsonTranscript.Write([result], json);
        return new Observation(result, text.ToString(), json.ToString());
    }

    /// <summary>The first line that differs, with its number: enough to start from.</summary>
    static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "(end)";
            var y = i < b.Length ? b[i] : "(end)";
            if (x != y) return $"line {i + 1}:\n  generic: {x}\n  this:    {y}";
        }
        return "(no line differs)";
    }
}
