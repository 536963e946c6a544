using System.Diagnostics;
using System.Xml.Linq;
using FaultLab.Cli;
using FaultLab.Profiling;
using FaultLab.Profiling.Collection;

namespace FaultLab.Tests;

public class FlameCommandTests
{
    [Theory]
    [InlineData("flame", "--help")]
    [InlineData("help", "flame")]
    public void Help_explains_recording_and_diffing(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(0, output.ExitCode);
        Assert.Contains(" flame [options]", output.Stdout);
        Assert.Contains("--workload <NAME>", output.Stdout);
        Assert.Contains("--diff <A.folded B.folded>", output.Stdout);
        Assert.Contains("stacks.folded", output.Stdout);
    }

    [Fact]
    public void The_tool_help_lists_flame_but_not_the_hidden_host_verb()
    {
        var output = CliOutput.Run("--help");

        Assert.Contains("\n  flame ", output.Stdout);
        Assert.DoesNotContain(FlameCommand.HostVerb, output.Stdout);
    }

    [Theory]
    [InlineData("flame", "faultlab: give --workload NAME (or --render FILE.folded, or --diff A.folded B.folded)")]
    [InlineData("flame --workload nope", "faultlab: unknown workload 'nope'; known: soft-refault, anon-zfod, fork-cow, file-read, file-seq, file-cow, wire, mixed")]
    [InlineData("flame --workload wire --seconds 0", "faultlab: option '--seconds' needs a whole number from 1 to 3600, got '0'")]
    [InlineData("flame --workload wire --path sideways", "faultlab: unknown path 'sideways'; known: generic, specialized, monomorphized")]
    [InlineData("flame --diff a.folded", "faultlab: Required argument missing for option: '--diff'.")]
    [InlineData("flame --workload wire extra", "faultlab: Unrecognized command or argument 'extra'.")]
    public void Usage_mistakes_exit_2(string args, string message)
    {
        var output = CliOutput.Run(args.Split(' '));

        Assert.Equal(2, output.ExitCode);
        Assert.Equal($"{message}\nTry 'faultlab flame --help'.\n", output.Stderr);
    }

    [Fact]
    public void Render_draws_a_folded_file_of_ones_own_with_title_width_inverted_and_minwidth()
    {
        using var dir = new TempScenarios();
        var folded = dir.Add("perf.folded", "main;Foo.Bar;Baz.Qux 30\nmain;Foo.Bar 10\nmain;tiny 1\n");
        var outDir = Path.Combine(dir.Directory, "out");

        var output = CliOutput.Run("flame", "--render", folded, "--title", "My program", "--width", "800", "--inverted",
            "--minwidth", "30", "--out", outDir);

        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.Contains($"flame: {folded}: 41 samples\n", output.Stdout);
        Assert.Equal(["flame.svg", "speedscope.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        var svg = XDocument.Load(Path.Combine(outDir, "flame.svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("800", (string?)svg.Root!.Attribute("width"));
        Assert.Equal("My program", svg.Descendants(ns + "text").Single(t => (string?)t.Attribute("id") == "title").Value);
        var titles = svg.Descendants(ns + "title").Select(t => t.Value).ToList();
        Assert.Contains(titles, t => t.StartsWith("Baz.Qux (30 samples"));
        Assert.DoesNotContain(titles, t => t.StartsWith("tiny (")); // 1/41 of 780 px is narrower than 30 px
        Assert.Contains("INVERTED = true", svg.ToString());
    }

    [Theory]
    [InlineData("flame --render a.folded --workload wire", "faultlab: give one of --workload NAME, --render FILE and --diff A.folded B.folded")]
    [InlineData("flame --render a.folded --seconds 3", "faultlab: --diff and --render draw folded files: --path, --seconds and --keep-trace are for recording")]
    [InlineData("flame --render a.folded --width -1", "faultlab: option '--width' needs a whole number from 0 to 100000, got '-1'")]
    public void Render_usage_mistakes_exit_2(string args, string message)
    {
        var output = CliOutput.Run(args.Split(' '));

        Assert.Equal(2, output.ExitCode);
        Assert.Equal($"{message}\nTry 'faultlab flame --help'.\n", output.Stderr);
    }

    [Fact]
    public void Diff_writes_a_differential_svg_and_a_two_count_folded_file()
    {
        using var dir = new TempScenarios();
        var a = dir.Add("a.folded", "m;grow 1\nm;shrink 3\n");
        var b = dir.Add("b.folded", "m;grow 3\nm;shrink 1\n");
        var outDir = Path.Combine(dir.Directory, "out");

        var output = CliOutput.Run("flame", "--diff", a, b, "--out", outDir);

        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.Equal("m;grow 1 3\nm;shrink 3 1\n", File.ReadAllText(Path.Combine(outDir, "diff.folded")));
        var svg = XDocument.Load(Path.Combine(outDir, "diff.svg"));
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "title" && e.Value.StartsWith("grow (A: 25.00%, B: 75.00%", StringComparison.Ordinal));
        Assert.Contains("diff.svg", output.Stdout);
    }

    [Fact]
    public void Diff_of_a_malformed_file_exits_2_naming_the_line()
    {
        using var dir = new TempScenarios();
        var a = dir.Add("a.folded", "m;a 1\nbroken\n");
        var b = dir.Add("b.folded", "m;a 1\n");

        var output = CliOutput.Run("flame", "--diff", a, b, "--out", Path.Combine(dir.Directory, "out"));

        Assert.Equal(2, output.ExitCode);
        Assert.Contains($"{a}:2: expected", output.Stderr);
    }

    [Fact]
    public void The_host_verb_runs_a_workload_for_the_given_time()
    {
        var output = CliOutput.Run(FlameCommand.HostVerb, "wire", "--path", "generic", "--seconds", "1");

        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.Matches(@"^workload-host: wire on the generic path: \d+ batches in 1 s\n$", output.Stdout);
    }

    [Fact]
    public void The_host_verb_rejects_an_unknown_workload()
    {
        var output = CliOutput.Run(FlameCommand.HostVerb, "bogus", "--seconds", "1");

        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith("faultlab: unknown workload 'bogus'", output.Stderr);
    }
}

/// <summary>
/// Recording with the real child (this build's faultlab.dll under the dotnet host): the child's failures are
/// reported in one line with exit 1, and never leave a process or a socket behind.
/// </summary>
public sealed class FlameRecordingTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("faultlab-flame-test-").FullName;
    private readonly string sockets;
    private int childPid;

    public FlameRecordingTests() => sockets = Directory.CreateDirectory(Path.Combine(scratch, "s")).FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private CollectionOptions Options(ChildCommand child, double seconds = 1) => new()
    {
        Child = child,
        TracePath = "",
        Duration = TimeSpan.FromSeconds(seconds),
        ConnectTimeout = TimeSpan.FromSeconds(20),
        CommandTimeout = TimeSpan.FromSeconds(20),
        SocketDirectory = sockets,
        ChildStarted = pid => childPid = pid,
    };

    private (int Code, string Stdout, string Stderr) Record(CollectionOptions options, string workload = "soft-refault")
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = FlameCommand.Record(new FlameSubject(workload, "specialized"), options,
            Workloads.Output.OutputPath.ForDirectory(Path.Combine(scratch, "out"), "--out", force: false),
            keepTrace: false, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private void AssertCleanedUp()
    {
        Assert.NotEqual(0, childPid);
        Assert.True(ProcessGone(childPid), $"child {childPid} still running");
        Assert.Empty(Directory.GetFileSystemEntries(sockets));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{childPid}-*-socket"));
        Assert.False(Directory.Exists(Path.Combine(scratch, "out")), "nothing is written when the recording fails");
    }

    [Fact]
    public void A_child_that_exits_early_is_reported_with_its_error()
    {
        // A long recording, so that the child's exit (at start-up, however slow the machine) is early in it.
        var result = Record(Options(FlameCommand.HostCommand("bogus", "specialized", TimeSpan.FromSeconds(30)), seconds: 15), "bogus");

        Assert.Equal(1, result.Code);
        Assert.True(result.Stderr.Contains("faultlab: flame: the traced process exited (code 2)"), result.Stderr);
        Assert.Contains("unknown workload 'bogus'", result.Stderr);
        AssertCleanedUp();
    }

    [Fact]
    public void A_suspended_child_that_never_connects_times_out_and_is_killed()
    {
        // The child's runtime is pointed at a port nobody listens on: it waits there, suspended, forever.
        var child = FlameCommand.HostCommand("soft-refault", "specialized", TimeSpan.FromSeconds(30), "--test-hang") with
        {
            Environment = new Dictionary<string, string>
            {
                ["DOTNET_DiagnosticPorts"] = Path.Combine(scratch, "nobody.sock") + ",suspend,connect",
            },
        };
        var clock = Stopwatch.StartNew();

        var result = Record(Options(child) with { ConnectTimeout = TimeSpan.FromSeconds(2) });

        Assert.Equal(1, result.Code);
        Assert.Contains("timed out after 2 s waiting to connect to the diagnostic port", result.Stderr);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 20);
        AssertCleanedUp();
    }

    [Fact]
    public void A_child_that_hangs_instead_of_working_yields_no_profile_and_is_killed()
    {
        var child = FlameCommand.HostCommand("soft-refault", "specialized", TimeSpan.FromSeconds(60), "--test-hang");

        var result = Record(Options(child));

        Assert.Equal(1, result.Code);
        Assert.Contains("no sample of the workload's batch loop", result.Stderr);
        AssertCleanedUp();
    }

    internal static bool ProcessGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}

/// <summary>
/// One real recording, end to end: ~2 s of soft-refault on the specialized path through `faultlab flame`. It takes
/// a few seconds (child start-up, the recording, the rundown, TraceEvent's conversion).
/// </summary>
public sealed class FlameEndToEndTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("faultlab-flame-e2e-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Records_soft_refault_with_resolved_names()
    {
        var outDir = Path.Combine(scratch, "out");

        var output = CliOutput.Run("flame", "--workload", "soft-refault", "--path", "specialized", "--seconds", "2", "--out", outDir, "--keep-trace");

        Assert.True(output.ExitCode == 0, output.Stdout + output.Stderr);
        Assert.Matches(@"flame: quality: \d+ samples, \d+\.\d% unresolved frames, \d+ truncated stacks", output.Stdout);
        var pid = int.Parse(System.Text.RegularExpressions.Regex.Match(output.Stdout, @"of pid (\d+)").Groups[1].Value);
        Assert.True(FlameRecordingTests.ProcessGone(pid));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*-socket"));
        var folded = File.ReadAllLines(Path.Combine(outDir, "stacks.folded"));
        Assert.NotEmpty(folded);
        Assert.Contains(folded, line => line.Split(' ')[0].Split(';').Any(f => f.Contains("FaultLab.Core", StringComparison.Ordinal) && f.Contains("FaultPass", StringComparison.Ordinal)));
        Assert.All(folded, line => Assert.True(
            (line.Split(' ')[0] + ";").StartsWith($"FaultLab.Profiling!{WorkloadHost.LoopMethod};", StringComparison.Ordinal), line));
        Assert.Equal([.. folded.Order(StringComparer.Ordinal)], folded);
        var svg = XDocument.Load(Path.Combine(outDir, "flame.svg"));
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value.Contains("soft-refault", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(outDir, "speedscope.json")));
        Assert.True(new FileInfo(Path.Combine(outDir, "trace.nettrace")).Length > 0);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
    }
}
