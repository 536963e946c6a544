using System.CommandLine;
using System.Diagnostics;
using FaultLab.Cli.CommandLine;
using System.Globalization;
using FaultLab.Benchmarks.Quick;
using FaultLab.Benchmarks.Results;
using FaultLab.Benchmarks.Running;
using FaultLab.Benchmarks.Suites;
using FaultLab.Workloads.BuiltIn;
using FaultLab.Workloads.Kernel;
using FaultLab.Workloads.Output;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab bench</c>: the workload suites under BenchmarkDotNet, or (<c>--quick</c>) the in-process quick bench;
/// a table and the goals on stdout, progress on stderr, and on request results.json (<c>--json</c>) or a whole
/// result set (<c>--out</c>).
/// </summary>
internal static class BenchCommand
{
    private sealed class Options
    {
        public bool Quick;
        public List<string> Workloads = [.. WorkloadCatalog.Names];
        public string? Scenario;
        public string? Out;
        public bool Force;
        public bool Kernel;
        public string? Note;
        public QuickOptions QuickOptions = new();
        public SuiteToolchain Toolchain = SuiteToolchain.OutOfProcess;
        public SuiteLength Length = SuiteLength.Default;
        public bool Verbose;
        public bool Disassembly;
        public bool EventPipe;
    }

    public static Command Create(CliContext context)
    {
        var quick = CliOptions.Flag("--quick", "in-process quick bench instead of BenchmarkDotNet");
        var filter = new Option<string[]>("--filter")
        {
            Description = "only the workloads matching these globs (* and ?, as BenchmarkDotNet's --filter; " +
                          "comma-separated or repeated; default all)",
            HelpName = "GLOB",
            AllowMultipleArgumentsPerToken = false,
        };
        filter.CompletionSources.Add([.. WorkloadCatalog.Names]);
        var scenario = CliOptions.Text("--scenario", "FILE", "bench a scenario file instead of the built-in workloads " +
            $"(quick mode): the statements after its '{ScenarioWorkload.Marker}' line are the measured batch, those before it the set-up");
        var json = CliOptions.Json();
        var output = CliOptions.Output();
        var @out = CliOptions.Out("write a result set: DIR/results.md, results.csv, results.json, results.html, " +
                                  "environment.md and plots (SVG and PNG); DIR absent or empty (indexed in DIR/../README.md " +
                                  "when DIR is in a results/ directory)");
        var force = CliOptions.Force();
        var kernel = CliOptions.Flag("--kernel", "also measure this machine's own page faults and print them beside the model's");
        var note = CliOptions.Text("--note", "TEXT", "a remark recorded with the results (e.g. \"machine busy\")");
        var rounds = new IntegerOption("--rounds", "quick: rounds per workload", 1, QuickOptions.MaxRounds, QuickOptions.DefaultRounds);
        var sampleMs = new IntegerOption("--sample-ms", "quick: length of one sample in milliseconds", 1, 60_000, 20);
        var warmupMs = new IntegerOption("--warmup-ms", "quick: minimum warm-up per workload in milliseconds", 0, 600_000, 400);
        var inProcess = CliOptions.Flag("--in-process", "BenchmarkDotNet in this process (no build; no tiering-off job)");
        var @short = CliOptions.Flag("--short", "BenchmarkDotNet's short run (3 warm-up, 3 measured iterations)");
        var dry = CliOptions.Flag("--dry", "BenchmarkDotNet's dry job: a smoke test, its figures mean nothing");
        var verbose = CliOptions.Flag("--verbose", "show BenchmarkDotNet's own log (it is always kept in BenchmarkDotNet.Artifacts)");
        var disasm = CliOptions.Flag("--disasm", "BenchmarkDotNet's DisassemblyDiagnoser: each benchmark's native code in " +
                                                 "BenchmarkDotNet.Artifacts/results/*-asm.md");
        var eventPipe = CliOptions.Flag("--eventpipe", "BenchmarkDotNet's EventPipeProfiler: a .nettrace and a speedscope file per " +
                                                       "benchmark in BenchmarkDotNet.Artifacts");
        var command = new Verb("bench", "measure the workloads on every fault path (BenchmarkDotNet, or --quick in-process)", """
            Measures the built-in workloads (faultlab workloads lists them) on the generic, specialized and
            monomorphized fault paths, per fault, with the generic path and the data floor (zeroing or copying one
            4 KiB page) as baselines measured in the same run. Prints a table and the goals the figures are held to;
            progress goes to standard error.

            Without --quick the suites of perf/FaultLab.Benchmarks run under BenchmarkDotNet: each benchmark in its own
            process built with dotnet from the repository (found above the current directory or the tool), a default
            job and a job with tiered compilation off, MemoryDiagnoser on. Expect tens of minutes for all workloads.
            --quick measures in this process in well under a minute: per workload the three paths and the floor are
            sampled round-robin for several rounds; figures are medians, ratios medians of per-round ratios.
            --rounds, --sample-ms and --warmup-ms apply to --quick; --in-process, --short, --dry and --verbose to
            BenchmarkDotNet. Both output paths are checked before anything is measured.

            Exit status: 0 measured (whatever the figures); 1 some benchmark failed; 2 bad usage or an unusable path.
            """)
        {
            quick, filter, scenario, json, output, @out, force, kernel, note, rounds, sampleMs, warmupMs, inProcess, @short, dry, verbose,
            disasm, eventPipe,
        };
        command.Validators.Add(result =>
        {
            bool Given(Option option) => result.GetResult(option) is { Implicit: false };
            var isQuick = result.GetValue(quick) || Given(scenario);
            if (isQuick && (Given(inProcess) || Given(@short) || Given(dry) || Given(verbose) || Given(disasm) || Given(eventPipe)))
                result.AddError("--in-process, --short, --dry, --verbose, --disasm and --eventpipe are BenchmarkDotNet options; --quick does not use it");
            if (!isQuick && (Given(rounds) || Given(sampleMs) || Given(warmupMs)))
                result.AddError("--rounds, --sample-ms and --warmup-ms apply to --quick");
            if (Given(force) && !Given(@out))
                result.AddError("--force applies to --out");
            if (Given(scenario) && Given(filter))
                result.AddError("--scenario benches that file; --filter picks built-in workloads");
            if (Given(@short) && Given(dry))
                result.AddError("--short and --dry are two job lengths; give one");
        });
        command.SetAction(parse =>
        {
            var options = new Options
            {
                Quick = parse.GetValue(quick) || parse.Given(scenario),
                Scenario = parse.GetValue(scenario),
                Out = parse.GetValue(@out),
                Force = parse.GetValue(force),
                Kernel = parse.GetValue(kernel),
                Note = parse.GetValue(note),
                Toolchain = parse.GetValue(inProcess) ? SuiteToolchain.InProcess : SuiteToolchain.OutOfProcess,
                Length = parse.GetValue(dry) ? SuiteLength.Dry : parse.GetValue(@short) ? SuiteLength.Short : SuiteLength.Default,
                Verbose = parse.GetValue(verbose),
                Disassembly = parse.GetValue(disasm),
                EventPipe = parse.GetValue(eventPipe),
                QuickOptions = new QuickOptions
                {
                    Rounds = (int)parse.GetValue(rounds),
                    Sample = TimeSpan.FromMilliseconds(parse.GetValue(sampleMs)),
                    Warmup = TimeSpan.FromMilliseconds(parse.GetValue(warmupMs)),
                },
            };
            if (parse.GetValue(filter) is { Length: > 0 } globs)
                options.Workloads = WorkloadFilter.Match(globs, WorkloadCatalog.Names);
            return Run(options, parse, json, output, context);
        });
        return command;
    }

    private static int Run(Options options, ParseResult parse, Option<bool> jsonOption, Option<string?> outputOption, CliContext context)
    {
        var (stdout, stderr, interrupt) = (context.Stdout, context.Stderr, context.Interrupt);
        var args = parse.Tokens.Skip(1).Select(t => t.Value).ToArray();
        options.QuickOptions = options.QuickOptions with { Workloads = options.Workloads };
        if (options.Scenario is { } file)
        {
            // Read and split before anything is measured: a file that does not parse is exit 2 with its errors.
            ScenarioWorkload workload;
            try
            {
                workload = ScenarioWorkload.Load(file);
            }
            catch (FormatException e)
            {
                stderr.WriteLine(e.Message);
                return ExitCodes.Usage;
            }
            options.QuickOptions = options.QuickOptions with
            {
                Workloads = [workload.Name],
                Create = name => name == workload.Name ? workload.Clone() : null,
                Families = [workload.ScenarioFamily], // the family its machine statement names
            };
        }

        // Where the results go is checked before anything is measured: a bad path must not cost the run.
        var printed = Printed.Open(parse, jsonOption, outputOption, context);
        var outDir = options.Out is { } outPath ? OutputPath.ForDirectory(outPath, "--out", options.Force) : null;
        var human = printed.Human;

        var command = CommandLine("bench", args);
        BenchReport report;
        var exit = ExitCodes.Success;
        interrupt.Kept = "nothing measured was written";
        if (options.Quick)
        {
            try
            {
                report = RunQuick(options.QuickOptions, command, stderr, interrupt.Token);
            }
            catch (InvalidOperationException e) when (options.Scenario is not null && !interrupt.Requested)
            {
                // The scenario's set-up or batch did not hold (or its batch faults differently on some path).
                stderr.WriteLine($"bench: {e.Message}");
                return ExitCodes.Failed;
            }
        }
        else
        {
            (report, var errors) = RunSuites(options, command, human, stderr, interrupt);
            foreach (var error in errors)
                stderr.WriteLine($"bench: {error}");
            if (errors.Count > 0)
                exit = ExitCodes.Failed;
        }
        interrupt.ThrowIfRequested();
        if (options.Kernel)
            report = report with { Kernel = MeasureKernel(stderr) };
        interrupt.ThrowIfRequested();
        report = report with { Note = options.Note };

        if (printed.Json)
        {
            WriteReport(report, human);
            printed.Main.Write(ResultJson.Serialize(report));
        }
        else
        {
            WriteReport(report, printed.Main);
        }
        printed.Finish("bench");
        if (outDir is not null)
        {
            var written = ResultSet.Write(outDir, report);
            human.WriteLine($"bench: wrote the result set {written}");
        }
        return exit;
    }

    /// <summary>The command as a shell would take it back, for the record of a run.</summary>
    public static string CommandLine(string verb, IEnumerable<string> args) =>
        string.Join(' ', new[] { "faultlab", verb }.Concat(args.Select(a =>
            a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=,:+@%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'")));

    /// <summary>The quick bench with a progress display; also <c>faultlab run</c>'s bench step.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired (checked every round).</exception>
    public static BenchReport RunQuick(QuickOptions options, string command, TextWriter stderr, CancellationToken cancellation = default)
    {
        var date = DateTimeOffset.UtcNow;
        var progress = new ProgressDisplay(stderr);
        var clock = Stopwatch.StartNew();
        cancellation.ThrowIfCancellationRequested();
        var results = QuickBench.Run(options, p =>
        {
            if (cancellation.IsCancellationRequested)
            {
                progress.Done();
                cancellation.ThrowIfCancellationRequested();
            }
            if (p.Round == p.Rounds)
                progress.Line(string.Create(CultureInfo.InvariantCulture,
                    $"bench: [{p.Index}/{p.Count}] {p.Workload} measured ({clock.Elapsed.TotalSeconds:F1} s)"));
            else
                progress.Update(p.Round == 0
                    ? $"bench: [{p.Index}/{p.Count}] {p.Workload}: setting up and warming up..."
                    : $"bench: [{p.Index}/{p.Count}] {p.Workload}: round {p.Round}/{p.Rounds}");
        });
        progress.Done();
        return new BenchReport
        {
            Mode = "quick",
            Date = date,
            Command = command,
            Machine = MachineInfo.Current(SourceTree.Find()),
            Method = options.Describe(),
            Results = results,
        };
    }

    private static (BenchReport, IReadOnlyList<string>) RunSuites(Options options, string command, TextWriter stdout,
        TextWriter stderr, Interrupt interrupt)
    {
        var date = DateTimeOffset.UtcNow;
        var root = SourceTree.Find();
        var toolchain = options.Toolchain;
        if (toolchain == SuiteToolchain.OutOfProcess && root is null)
        {
            stderr.WriteLine("bench: no FaultLab sources here to build the benchmarks from; running them in this process " +
                             "(--in-process: no tiering-off job)");
            toolchain = SuiteToolchain.InProcess;
        }
        var suiteOptions = new SuiteOptions
        {
            Suites = SuiteCatalog.All.Where(s => options.Workloads.Contains(s.Workload)).ToList(),
            Toolchain = toolchain,
            Length = options.Length,
            Disassembly = options.Disassembly,
            EventPipe = options.EventPipe,
            ArtifactsPath = Path.Combine(root ?? Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts"),
        };
        var progress = new ProgressDisplay(stderr);
        var logger = options.Verbose ? new TextLogger(stdout) : null;
        interrupt.Kept = $"nothing measured was written; BenchmarkDotNet's log is in {suiteOptions.ArtifactsPath}";
        // BenchmarkDotNet finds the benchmark project below the current directory's repository root.
        var cwd = Directory.GetCurrentDirectory();
        SuiteRun run;
        try
        {
            if (root is not null)
                Directory.SetCurrentDirectory(root);
            run = SuiteInterruption.Run(() => SuiteRunner.Run(suiteOptions, line => progress.Line($"bench: {line}"), logger),
                interrupt.Token, line => progress.Line($"bench: {line}"));
        }
        finally
        {
            Directory.SetCurrentDirectory(cwd);
        }
        stderr.WriteLine($"bench: BenchmarkDotNet's log and reports: {suiteOptions.ArtifactsPath}");
        var report = new BenchReport
        {
            Mode = "benchmarkdotnet",
            Date = date,
            Command = command,
            Machine = MachineInfo.Current(root),
            Method = $"BenchmarkDotNet {typeof(BenchmarkDotNet.Running.BenchmarkRunner).Assembly.GetName().Version?.ToString(3)}, {(toolchain == SuiteToolchain.InProcess ? "in-process toolchain" : "default toolchain (one process per benchmark)")}, " +
                     $"{options.Length.ToString().ToLowerInvariant()} job length, jobs: {string.Join(", ", SuiteRunner.Jobs(suiteOptions).Select(j => j.Id))}; " +
                     "figures are medians per operation, ratios between medians of the same suite and job, noise the interquartile range over the median",
            Results = run.Results,
        };
        return (report, run.Errors);
    }

    private static IReadOnlyList<KernelFaultResult>? MeasureKernel(TextWriter stderr)
    {
        if (!KernelFaults.IsSupported)
        {
            stderr.WriteLine("bench: --kernel: measuring this machine's own page faults is not supported here");
            return null;
        }
        stderr.WriteLine("bench: measuring this machine's own page faults...");
        return KernelFaults.Measure();
    }

    /// <summary>The table, the goals and (with --kernel) the kernel's figures, as the terminal shows them.</summary>
    public static void WriteReport(BenchReport report, TextWriter stdout)
    {
        stdout.WriteLine();
        stdout.WriteLine($"{report.Mode} bench on {report.Machine.Summary}");
        stdout.WriteLine();
        ResultTables.For(report.Results).WriteText(stdout);
        stdout.WriteLine();
        var goals = new Table(("goal", false), ("measured", false), ("verdict", false));
        foreach (var goal in Goals.Evaluate(report.Results))
            goals.Add(goal.Goal, goal.Measured, goal.Verdict);
        goals.WriteText(stdout);
        if (report.Kernel is { } kernel)
        {
            stdout.WriteLine();
            stdout.WriteLine("this machine's kernel beside the model:");
            KernelTable.For(kernel, report.Results).WriteText(stdout);
        }
    }
}
