using System.CommandLine;
using System.Globalization;
using FaultLab.Cli.CommandLine;
using FaultLab.Core;
using FaultLab.Profiling;
using FaultLab.Profiling.Collection;
using FaultLab.Profiling.Diff;
using FaultLab.Profiling.Model;
using FaultLab.Profiling.Writers;
using FaultLab.Workloads.BuiltIn;
using FaultLab.Workloads.Output;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab flame</c>: flame graphs of a workload (EventPipe samples of a child process) and differential flame
/// graphs of two folded profiles. Also the hidden verb the child runs, <see cref="HostVerb"/>.
/// </summary>
internal static class FlameCommand
{
    /// <summary>
    /// The hidden verb <c>faultlab workload-host WORKLOAD --path PATH --seconds N [--test-hang]</c>: sets the workload
    /// up and runs its batches for N seconds (<see cref="WorkloadHost"/>). It is what <c>faultlab flame</c> starts as
    /// its child, under a diagnostic port, and is of no use by hand, so <c>--help</c> does not list it.
    /// <c>--test-hang</c> (for tests) sleeps the N seconds instead of running anything.
    /// </summary>
    public const string HostVerb = "workload-host";

    /// <summary>How much longer than the recording the child is told to run: it is killed when the recording is
    /// over, and this only bounds how long an orphan (of a collector killed outright) lives.</summary>
    private static readonly TimeSpan HostMargin = TimeSpan.FromSeconds(60);

    public static Command Create(CliContext context)
    {
        var workload = CliOptions.Workload();
        workload.Required = false;
        var path = CliOptions.Path();
        var seconds = CliOptions.Seconds(10, "how long to record");
        var @out = CliOptions.Out("output directory: absent or empty (default FaultLab.Artifacts/flame/<workload>-<path>-<timestamp>/, " +
                                  "or .../diff-<timestamp>/ under the current directory); checked before the recording starts");
        var force = CliOptions.Force();
        var keepTrace = CliOptions.Flag("--keep-trace", "keep the raw trace as DIR/trace.nettrace");
        var render = CliOptions.Text("--render", "FILE", "draw a flame graph of a folded file of your own (flamegraph.pl's input: " +
                                                          "`frame;frame;frame COUNT` per line) instead of recording");
        var title = CliOptions.Text("--title", "TEXT", "the graph's title");
        var width = new IntegerOption("--width", "the image's width in pixels; 0 fills the width of the browser window", 0, 100_000,
            FlameGraphSvg.LayoutWidth, "PX");
        var inverted = CliOptions.Flag("--inverted", "an icicle graph: the root at the top, callees below their callers");
        var minWidth = new Option<double>("--minwidth")
        {
            Description = "leave out frames narrower than PX pixels (and what they call)",
            HelpName = "PX",
            DefaultValueFactory = _ => 0.1,
        };
        minWidth.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0 or > 10_000) r.AddError("option '--minwidth' needs a width from 0 to 10000 pixels"); });
        var diff = new Option<string[]>("--diff")
        {
            Description = "draw a differential flame graph of two folded files instead of recording",
            HelpName = "A.folded B.folded",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Verb("flame", "record a CPU flame graph of a workload, render a folded file, or diff two", """
            Records a CPU flame graph of a built-in workload: starts it as a child process (the faultlab dll under the
            dotnet host) with an EventPipe session of the runtime's sample profiler, records N seconds of its batch
            loop, and writes into DIR:
              stacks.folded    folded stacks (root first, `a;b;c COUNT`), sorted
              flame.svg        an interactive flame graph: click to zoom, search by regular expression
              speedscope.json  the profile for https://www.speedscope.app
            and prints a quality line: samples, share of frames without a managed name, stacks cut at the runtime's
            100-frame cap, events lost. Only samples taken inside the workload's batch loop count.

            With --render FILE, draws flame.svg and speedscope.json of a folded file of your own (what flamegraph.pl
            reads, e.g. from stackcollapse-perf.pl). --title, --width, --inverted and --minwidth shape every graph.
            Labels are short (Class.Method); the tooltip has the full name; search ignores case. The speedscope file of
            a recording holds the samples in the order they were taken (speedscope's time-order view).

            With --diff, writes a differential flame graph (diff.svg, and diff.folded: `stack COUNT_A COUNT_B`) whose
            frames are B's and whose colours show how each frame's share of the samples changed from A to B: red grew,
            blue shrank.

            Exit status: 0 written; 1 the collection failed (the child exited early, a step timed out, no samples);
            2 bad usage, an unreadable folded file or an unusable output directory; 130, 143, 129 interrupted by
            SIGINT, SIGTERM, SIGHUP (the child is stopped, its trace and sockets removed, nothing written).
            """)
        {
            workload, path, seconds, @out, force, keepTrace, diff, render, title, width, inverted, minWidth,
        };
        command.Validators.Add(result =>
        {
            bool Given(Option option) => result.GetResult(option) is { Implicit: false };
            if (new Option[] { workload, diff, render }.Count(Given) > 1)
                result.AddError("give one of --workload NAME, --render FILE and --diff A.folded B.folded");
            else if ((Given(diff) || Given(render)) && (Given(keepTrace) || Given(path) || Given(seconds)))
                result.AddError("--diff and --render draw folded files: --path, --seconds and --keep-trace are for recording");
            else if (!Given(diff) && !Given(workload) && !Given(render))
                result.AddError("give --workload NAME (or --render FILE.folded, or --diff A.folded B.folded)");
            if (Given(force) && !Given(@out))
                result.AddError("--force applies to --out");
        });
        command.SetAction(parse =>
        {
            var output = parse.GetValue(@out);
            var replace = parse.GetValue(force);
            FlameGraphStyle Style(string defaultTitle) => new()
            {
                Title = parse.GetValue(title) ?? defaultTitle,
                Width = (int)parse.GetValue(width),
                Inverted = parse.GetValue(inverted),
                MinWidth = parse.GetValue(minWidth),
            };
            if (parse.GetValue(diff) is [var a, var b])
                return Diff(a, b, Output(output, "diff", replace), Style("Differential flame graph"), context.Stdout, context.Stderr);
            if (parse.GetValue(render) is { } folded)
                return Render(folded, Output(output, "render", replace), Style(parse.GetValue(inverted) ? "Icicle Graph" : "Flame Graph"),
                    context.Stdout, context.Stderr);
            var name = parse.GetValue(workload)!;
            var pathName = FaultPathNames.NameOf(path.Of(parse));
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var options = new CollectionOptions
            {
                Child = HostCommand(name, pathName, duration + HostMargin),
                TracePath = "",
                Duration = duration,
            };
            var subject = new FlameSubject(name, pathName);
            return Record(subject, options, Output(output, $"{name}-{pathName}", replace),
                parse.GetValue(keepTrace), context.Stdout, context.Stderr, context.Interrupt, Style($"FaultLab: {subject.Title}"));
        });
        return command;
    }

    /// <summary>The output directory, checked now (before anything is recorded or read): the one given, or a new
    /// one under FaultLab.Artifacts/flame/.</summary>
    private static OutputPath Output(string? given, string name, bool force)
    {
        if (given is not null)
        {
            return OutputPath.ForDirectory(given, "--out", force);
        }
        return OutputPath.NewDirectory(Path.Combine(OutputPath.ArtifactsDirectory, "flame"),
            $"{name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}", "--out");
    }

    /// <summary>The child of a recording: this very dll under the dotnet host, running <see cref="HostVerb"/>.</summary>
    internal static ChildCommand HostCommand(string workload, string path, TimeSpan seconds, params string[] extra) =>
        new(DotnetHost.Path,
        [
            typeof(FlameCommand).Assembly.Location, HostVerb, workload, "--path", path,
            "--seconds", Math.Ceiling(seconds.TotalSeconds).ToString(CultureInfo.InvariantCulture), .. extra,
        ]);

    /// <summary>Records and writes a flame graph; a failed collection is one line on stderr and exit 1. An interrupt
    /// (SIGINT, SIGTERM, SIGHUP) cancels the recording, which stops the child and removes its trace and sockets.</summary>
    internal static int Record(FlameSubject subject, CollectionOptions options, OutputPath output, bool keepTrace,
        TextWriter stdout, TextWriter stderr, Interrupt? interrupt = null, FlameGraphStyle? style = null)
    {
        interrupt ??= new Interrupt();
        interrupt.Kept = "the child was stopped, its trace and sockets removed; nothing was written";
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flame: recording {subject.Title} for {options.Duration.TotalSeconds:0.#} s"));
        stdout.Flush();
        FlameReport report;
        try
        {
            // Off the caller's synchronization context: the recording awaits a lot and the caller blocks.
            report = Task.Run(() => FlameRecorder.RecordAsync(subject, options, output, keepTrace, interrupt.Token, style))
                .GetAwaiter().GetResult();
        }
        catch (CollectionException e) when (!interrupt.Requested)
        {
            stderr.WriteLine($"faultlab: flame: {e.Message}");
            return ExitCodes.Failed;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flame: recorded {report.Collection.Recorded.TotalSeconds:0.0} s of pid {report.Collection.ChildProcessId} ({report.Collection.Bytes / 1e6:0.0} MB of trace)"));
        stdout.WriteLine($"flame: quality: {report.Quality.Line}");
        if (report.Quality.Warning is { } warning)
        {
            stdout.WriteLine($"flame: warning: {warning}");
        }
        stdout.WriteLine($"flame: wrote {string.Join(", ", report.Files)}");
        return ExitCodes.Success;
    }

    private static int Diff(string fileA, string fileB, OutputPath output, FlameGraphStyle style, TextWriter stdout, TextWriter stderr)
    {
        StackProfile a, b;
        try
        {
            a = FoldedFormat.ReadFile(fileA);
            b = FoldedFormat.ReadFile(fileB);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            stderr.WriteLine($"faultlab: flame: {e.Message}");
            return ExitCodes.Usage;
        }

        var directory = output.WriteDirectory(temp =>
        {
            File.WriteAllText(Path.Combine(temp, DiffSvg), FlameDiff.RenderSvg(a, b, ShortPath(fileA), ShortPath(fileB), style));
            File.WriteAllText(Path.Combine(temp, DiffFolded), FlameDiff.Folded(a, b));
        });
        stdout.WriteLine($"flame: diff of {fileA} ({a.TotalSamples} samples) and {fileB} ({b.TotalSamples} samples)");
        stdout.WriteLine($"flame: wrote {Path.Combine(directory, DiffSvg)}, {Path.Combine(directory, DiffFolded)}");
        return ExitCodes.Success;
    }

    /// <summary><c>flame --render FILE</c>: flame.svg and speedscope.json of a folded file of the user's.</summary>
    private static int Render(string file, OutputPath output, FlameGraphStyle style, TextWriter stdout, TextWriter stderr)
    {
        StackProfile profile;
        try
        {
            profile = FoldedFormat.ReadFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            stderr.WriteLine($"faultlab: flame: {e.Message}");
            return ExitCodes.Usage;
        }
        var directory = output.WriteDirectory(temp =>
        {
            File.WriteAllText(Path.Combine(temp, FlameRecorder.SvgFile), FlameGraphSvg.Render(profile, style with
            {
                Subtitle = $"{ShortPath(file)}: {profile.TotalSamples} samples, {profile.Stacks.Length} distinct stacks",
            }));
            using var speedscope = File.Create(Path.Combine(temp, FlameRecorder.SpeedscopeFile));
            SpeedscopeWriter.Write(profile, style.Title, speedscope);
        });
        stdout.WriteLine($"flame: {file}: {profile.TotalSamples} samples");
        stdout.WriteLine($"flame: wrote {Path.Combine(directory, FlameRecorder.SvgFile)}, {Path.Combine(directory, FlameRecorder.SpeedscopeFile)}");
        return ExitCodes.Success;
    }

    /// <summary>A folded file as the diff's subtitle names it: its directory (a recording's) and its name.</summary>
    private static string ShortPath(string file) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) is { Length: > 0 } directory
            ? $"{directory}/{Path.GetFileName(file)}"
            : file;

    private const string DiffSvg = "diff.svg";
    private const string DiffFolded = "diff.folded";

    /// <summary><see cref="HostVerb"/>: the child's side of a recording (hidden from help).</summary>
    public static Command CreateHost()
    {
        var workload = new Argument<string>("WORKLOAD") { Description = "the workload to run" };
        var path = CliOptions.Path();
        var seconds = new IntegerOption("--seconds", "how long to run the batches", 1, 24 * 3600, 10);
        var hang = CliOptions.Flag("--test-hang", "sleep the N seconds instead of running anything (for tests)");
        var command = new Command(HostVerb, "the child of a recording: runs a workload's batches for N seconds")
        {
            workload, path, seconds, hang,
        };
        command.Hidden = true;
        command.SetAction(parse => RunHost(parse.GetValue(workload)!, path.Of(parse), parse.GetValue(seconds),
            parse.GetValue(hang), parse.InvocationConfiguration.Output));
        return command;
    }

    private static int RunHost(string name, FaultPath path, long seconds, bool hang, TextWriter stdout)
    {
        if (hang)
        {
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            return ExitCodes.Success;
        }
        var workload = WorkloadCatalog.Create(name)
            ?? throw new UsageException($"unknown workload {Excerpt.Quote(name)}; known: {string.Join(", ", WorkloadCatalog.Names)}", HostVerb);
        var batches = WorkloadHost.Run(workload, path, TimeSpan.FromSeconds(seconds));
        stdout.WriteLine($"{HostVerb}: {name} on the {FaultPathNames.NameOf(path)} path: {batches} batches in {seconds} s");
        return ExitCodes.Success;
    }
}
