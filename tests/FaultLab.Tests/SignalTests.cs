using System.Runtime.InteropServices;
using FaultLab.Profiling.Collection;

namespace FaultLab.Tests;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP end every verb the same way: exit 130, 143 or 129, a line saying what was kept, no
/// process left, and nothing left in the temporary directory (each run gets a fresh TMPDIR, checked empty: the
/// runtime's own diagnostic socket and debugger pipes live there too) or in the working directory. The built
/// faultlab runs as a child; the signal is sent once it said it started (bounded waits throughout).
/// </summary>
[Collection(nameof(SignalTests))]
[CollectionDefinition(nameof(SignalTests), DisableParallelization = true)]
public sealed class SignalTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private readonly string root = Directory.CreateTempSubdirectory("faultlab-signal-").FullName;
    private readonly string tmp;
    private readonly string cwd;

    public SignalTests()
    {
        tmp = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
        cwd = Directory.CreateDirectory(Path.Combine(root, "cwd")).FullName;
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private sealed record Outcome(int ExitCode, string Stdout, string Stderr, IReadOnlyList<int> Descendants);

    /// <summary>Starts faultlab, waits for <paramref name="marker"/> (and, if asked, for a child process), sends
    /// <paramref name="signal"/> and waits for the exit, watching every process it started on the way.</summary>
    private async Task<Outcome> Interrupt(PosixSignal signal, string marker, bool waitForChild, string[] args)
    {
        using var process = FaultlabProcess.Start(cwd, tmp, args);
        var seen = new HashSet<int>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                foreach (var pid in process.Descendants())
                {
                    lock (seen)
                    {
                        seen.Add(pid);
                    }
                }
                await Task.Delay(50);
            }
        });

        Assert.True(await process.WaitForLine(marker, StartTimeout), $"no '{marker}' from faultlab; stdout: {process.Stdout}; stderr: {process.Stderr}");
        if (waitForChild)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (process.Descendants().Count == 0 && clock.Elapsed < StartTimeout)
            {
                await Task.Delay(50);
            }
            Assert.NotEmpty(process.Descendants());
            await Task.Delay(500); // let the child get going (connected, recording)
        }
        process.Signal(signal);
        var code = await process.WaitForExit(ExitTimeout);
        watching.Cancel();
        await watcher;

        int[] descendants;
        lock (seen)
        {
            descendants = [.. seen];
        }
        return new Outcome(code, process.Stdout, process.Stderr, descendants);
    }

    private void AssertNothingLeft(Outcome outcome, string verb, string signal, int code)
    {
        Assert.True(outcome.ExitCode == code, $"exit {outcome.ExitCode}; stdout: {outcome.Stdout}; stderr: {outcome.Stderr}");
        Assert.Contains($"faultlab: {verb}: interrupted by {signal}; ", outcome.Stderr);
        Assert.All(outcome.Descendants, pid => Assert.False(ProcessTree.IsAlive(pid), $"process {pid} survived"));
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
        Assert.Empty(Directory.GetFileSystemEntries(cwd));
    }

    [Theory]
    [InlineData("flame", PosixSignal.SIGINT, "SIGINT", 130)]
    [InlineData("flame", PosixSignal.SIGHUP, "SIGHUP", 129)]
    [InlineData("trace", PosixSignal.SIGINT, "SIGINT", 130)]
    [InlineData("trace", PosixSignal.SIGTERM, "SIGTERM", 143)]
    public async Task A_recording_stops_its_child_and_leaves_no_socket_pipe_or_trace(string verb, PosixSignal signal, string name, int code)
    {
        var outcome = await Interrupt(signal, $"{verb}: recording", waitForChild: true,
            [verb, "--workload", "wire", "--seconds", "30"]);

        AssertNothingLeft(outcome, verb, name, code);
        Assert.NotEmpty(outcome.Descendants);
        Assert.Contains("the child was stopped, its trace and sockets removed; nothing was written", outcome.Stderr);
    }

    [Fact]
    public async Task A_partial_fuzz_prints_its_seed_and_the_operations_done()
    {
        var outcome = await Interrupt(PosixSignal.SIGHUP, "fuzz: ", waitForChild: false,
            ["fuzz", "--seconds", "120", "--seed", "7"]);

        AssertNothingLeft(outcome, "fuzz", "SIGHUP", 129);
        Assert.Matches(@"fuzz: interrupted after \d+ runs, \d+ operations, 0 violations \(seed 7, path specialized, checked, [\d.]+ s\)", outcome.Stdout);
        Assert.Matches(@"the seed \(7\) and the \d+ operations done are above", outcome.Stderr);
    }

    [Fact]
    public async Task The_quick_bench_stops_between_rounds_and_writes_nothing()
    {
        var json = Path.Combine(cwd, "bench.json");

        var outcome = await Interrupt(PosixSignal.SIGTERM, "bench: [1/", waitForChild: false,
            ["bench", "--quick", "--json", "--output", json, "--out", Path.Combine(cwd, "set")]);

        AssertNothingLeft(outcome, "bench", "SIGTERM", 143);
        Assert.Contains("nothing measured was written", outcome.Stderr);
    }

    [Fact]
    public async Task Run_stops_in_its_fuzz_and_says_what_it_kept()
    {
        using var scenarios = new TempScenarios();
        scenarios.Add("a.flt", Scenarios.Passing);

        var outcome = await Interrupt(PosixSignal.SIGINT, "fuzz: checking", waitForChild: false,
            ["run", "--scenarios", scenarios.Directory, "--bench-rounds", "0", "--seconds", "120"]);

        AssertNothingLeft(outcome, "run", "SIGINT", 130);
        Assert.Matches(@"scenarios: 1 passed, 0 failed; fuzz: \d+ runs, \d+ operations done, no violation \(seed 1\)", outcome.Stderr);
    }

    /// <summary>A statement that inspects the whole address space: seconds each.</summary>
    private static string SlowScenario => "proc p1\n" + string.Concat(Enumerable.Repeat("expect mapped p1 0x0 134217728 0\n", 200));

    [Fact]
    public async Task Scenario_stops_between_statements_and_keeps_the_transcripts_done()
    {
        using var scenarios = new TempScenarios();
        var quick = scenarios.Add("1-quick.flt", Scenarios.Passing);
        var slow = scenarios.Add("2-slow.flt", SlowScenario);

        var outcome = await Interrupt(PosixSignal.SIGTERM, $"{quick}: 5 statements, 0 failed", waitForChild: false,
            ["scenario", quick, slow]);

        AssertNothingLeft(outcome, "scenario", "SIGTERM", 143);
        Assert.Contains("the transcripts of the 1 files that ran are above", outcome.Stderr);
        Assert.DoesNotContain(slow, outcome.Stdout);
    }

    [Fact]
    public async Task An_interrupted_scenario_json_covers_the_files_that_ran()
    {
        using var scenarios = new TempScenarios();
        var quick = scenarios.Add("1-quick.flt", Scenarios.Passing);
        var slow = scenarios.Add("2-slow.flt", SlowScenario);
        using var interrupt = new Cli.Interrupt();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var run = Task.Run(() => Cli.Cli.Run(["scenario", quick, slow, "--json"], stdout, stderr, interrupt));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the quick file takes milliseconds, the slow one minutes
        interrupt.Request(PosixSignal.SIGINT);
        var code = await run.WaitAsync(ExitTimeout);

        Assert.Equal(130, code);
        var files = System.Text.Json.JsonDocument.Parse(stdout.ToString()).RootElement.EnumerateArray().ToList();
        Assert.Equal([quick], files.Select(f => f.GetProperty("file").GetString()));
        Assert.Equal("faultlab: scenario: interrupted by SIGINT; the JSON above covers the 1 files that ran to their end\n",
            stderr.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// BenchmarkDotNet out of process, interrupted while it builds its generated project: the build's processes are
    /// killed and the generated project (a directory beside the benchmarks assembly) removed. It runs
    /// against a stand-in repository whose benchmark project only waits, so that no real build is cut short.
    /// </summary>
    [Fact]
    public async Task An_interrupted_BenchmarkDotNet_run_kills_its_build_and_removes_its_generated_project()
    {
        var fake = Directory.CreateDirectory(Path.Combine(root, "repo")).FullName;
        File.WriteAllText(Path.Combine(fake, "FaultLab.slnx"), "<Solution />\n");
        var project = Directory.CreateDirectory(Path.Combine(fake, "perf", "FaultLab.Benchmarks")).FullName;
        File.WriteAllText(Path.Combine(project, "FaultLab.Benchmarks.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <Target Name="FaultLabTestWait" BeforeTargets="Build">
                <Exec Command="sleep 120" />
              </Target>
            </Project>
            """);
        var bin = Path.GetDirectoryName(typeof(Benchmarks.Suites.SuiteCatalog).Assembly.Location)!;
        string[] Generated() => [.. Directory.GetDirectories(bin).Where(d => Cli.SuiteInterruption.IsGeneratedProject(Path.GetFileName(d)))];
        var before = Generated();
        using var process = FaultlabProcess.Start(fake, tmp, "bench", "--filter", "wire", "--dry");

        Assert.True(await process.WaitForLine("building the benchmark project", StartTimeout), process.Stderr);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((Generated().Except(before).FirstOrDefault() is null || process.Descendants().Count == 0) && clock.Elapsed < StartTimeout)
        {
            await Task.Delay(100);
        }
        var generated = Assert.Single(Generated().Except(before));
        var building = process.Descendants();
        Assert.NotEmpty(building);
        process.Signal(PosixSignal.SIGINT);
        var code = await process.WaitForExit(ExitTimeout);

        Assert.True(code == 130, $"exit {code}; stderr: {process.Stderr}");
        Assert.Contains("faultlab: bench: interrupted by SIGINT; nothing measured was written", process.Stderr);
        Assert.False(Directory.Exists(generated), $"{generated} was left");
        Assert.All(building, pid => Assert.False(ProcessTree.IsAlive(pid), $"process {pid} survived"));
        Assert.Empty(process.Descendants());
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
    }
}
