using System.Diagnostics;
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
        public string? Json;
        public string? Out;
        public bool Force;
        public bool Kernel;
        public string? Note;
        public QuickOptions QuickOptions = new();
        public bool QuickOnlyOptionGiven;
        public SuiteToolchain Toolchain = SuiteToolchain.OutOfProcess;
        public SuiteLength Length = SuiteLength.Default;
        public bool SuiteOnlyOptionGiven;
        public bool Verbose;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Interrupt interrupt)
    {
        var arguments = new Arguments("bench", args);
        var options = new Options();
        while (arguments.NextOption())
        {
            switch (arguments.Current)
            {
                case "-h" or "--help":
                    stdout.WriteLine(HelpText.Bench);
                    return ExitCodes.Success;
                case "--quick":
                    options.Quick = true;
                    break;
                case "--filter":
                    options.Workloads = ParseFilter(arguments);
                    break;
                case "--json":
                    options.Json = arguments.Value();
                    break;
                case "--out":
                    options.Out = arguments.Value();
                    break;
                case "--force":
                    options.Force = true;
                    break;
                case "--kernel":
                    options.Kernel = true;
                    break;
                case "--note":
                    options.Note = arguments.Value();
                    break;
                case "--rounds":
                    options.QuickOptions = options.QuickOptions with { Rounds = (int)arguments.Integer(1, 10_000) };
                    options.QuickOnlyOptionGiven = true;
                    break;
                case "--sample-ms":
                    options.QuickOptions = options.QuickOptions with { Sample = TimeSpan.FromMilliseconds(arguments.Integer(1, 60_000)) };
                    options.QuickOnlyOptionGiven = true;
                    break;
                case "--warmup-ms":
                    options.QuickOptions = options.QuickOptions with { Warmup = TimeSpan.FromMilliseconds(arguments.Integer(0, 600_000)) };
                    options.QuickOnlyOptionGiven = true;
                    break;
                case "--in-process":
                    options.Toolchain = SuiteToolchain.InProcess;
                    options.SuiteOnlyOptionGiven = true;
                    break;
                case "--short":
                    options.Length = SuiteLength.Short;
                    options.SuiteOnlyOptionGiven = true;
                    break;
                case "--dry":
                    options.Length = SuiteLength.Dry;
                    options.SuiteOnlyOptionGiven = true;
                    break;
                case "--verbose":
                    options.Verbose = true;
                    options.SuiteOnlyOptionGiven = true;
                    break;
                default:
                    throw arguments.Unknown();
            }
        }
        if (arguments.Operands.Count > 0)
            throw arguments.Error($"unexpected argument {Excerpt.Quote(arguments.Operands[0])}");
        if (options.Quick && options.SuiteOnlyOptionGiven)
            throw arguments.Error("--in-process, --short, --dry and --verbose are BenchmarkDotNet options; --quick does not use it");
        if (!options.Quick && options.QuickOnlyOptionGiven)
            throw arguments.Error("--rounds, --sample-ms and --warmup-ms apply to --quick");
        if (options.Force && options.Out is null)
            throw arguments.Error("--force applies to --out");
        options.QuickOptions = options.QuickOptions with { Workloads = options.Workloads };

        // Where the results go is checked before anything is measured: a bad path must not cost the run.
        var json = options.Json is { } jsonPath ? OutputPath.ForFile(jsonPath, "--json", stdout, stderr) : null;
        var outDir = options.Out is { } outPath ? OutputPath.ForDirectory(outPath, "--out", options.Force) : null;
        // With the JSON on standard output, what would be printed there goes to standard error.
        var human = json?.IsStandardOutput == true ? stderr : stdout;

        var command = CommandLine("bench", args);
        BenchReport report;
        var exit = ExitCodes.Success;
        interrupt.Kept = "nothing measured was written";
        if (options.Quick)
        {
            report = RunQuick(options.QuickOptions, command, stderr, interrupt.Token);
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

        WriteReport(report, human);
        if (json is not null)
        {
            ResultJson.Write(report, json);
            human.WriteLine($"bench: wrote {json.Display}");
        }
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

    /// <summary>Names of the <c>--filter</c> list; an unknown one is a usage error that lists the valid names.</summary>
    private static List<string> ParseFilter(Arguments arguments)
    {
        var names = arguments.Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
            throw arguments.Error($"--filter needs workload names; workloads: {string.Join(", ", WorkloadCatalog.Names)}");
        foreach (var name in names)
        {
            if (WorkloadCatalog.Create(name) is null)
                throw arguments.Error($"unknown workload {Excerpt.Quote(name)}; workloads: {string.Join(", ", WorkloadCatalog.Names)}");
        }
        // Catalog order, each once.
        return WorkloadCatalog.Names.Where(names.Contains).ToList();
    }

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
