using System.CommandLine;
using FaultLab.Benchmarks.Quick;
using FaultLab.Cli.CommandLine;
using FaultLab.Benchmarks.Results;
using FaultLab.Core;
using FaultLab.Workloads.Checking;
using FaultLab.Workloads.Output;
using FaultLab.Workloads.Scenarios;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab run</c>: the lab's main job. Every example scenario shipped beside the tool and a short fuzz, both on
/// the chosen fault path, with the quick bench of all three paths between them (its table printed, its result set
/// written), then one summary table that says which path ran.
/// </summary>
internal static class RunCommand
{
    /// <summary>Where the build copies the repository's <c>scenarios/*.flt</c> (content items of this project).</summary>
    public static string ShippedScenarios => Path.Combine(AppContext.BaseDirectory, "scenarios");

    public static Command Create(CliContext context)
    {
        var scenarios = CliOptions.Text("--scenarios", "DIR", "run the *.flt files of DIR instead of the shipped ones");
        var seconds = CliOptions.Seconds(10, "fuzzing budget in seconds (0 skips fuzzing)", min: 0);
        var seed = CliOptions.Seed("fuzzer seed, decimal or 0x hex");
        var path = CliOptions.Path("the fault path the scenarios and the fuzzer run (the bench always measures all three)");
        var benchRounds = new IntegerOption("--bench-rounds", "rounds of the quick bench (0 skips the bench)", 0,
            QuickOptions.MaxRounds, QuickOptions.DefaultRounds);
        var @out = CliOptions.Out("where the bench's result set goes: absent or empty (default a new " +
                                  "FaultLab.Artifacts/<yyyy-MM-dd>-quick[-N] under the current directory)");
        var force = CliOptions.Force();
        var command = new Verb("run", "run every shipped example scenario, a quick bench and a short fuzz; print a summary", """
            The lab's main job: runs every example scenario shipped with the tool (the scenarios/ directory beside it)
            on one fault path, then the quick bench (every workload on all three fault paths, in a child process; its
            table is printed and its result set written), then fuzzes the model for a few seconds on the same path,
            and prints a summary table that starts with the path that ran. Failed expectations and the fuzzer's
            counterexample, if any, are printed before the table. (faultlab fuzz --lockstep checks the paths against
            each other.)

            Exit status: 0 all scenarios passed and the fuzzer found nothing; 1 otherwise, or nothing was checked
            (no scenario file and --seconds 0); 2 bad usage, no scenarios directory or an unusable --out.
            The bench's figures never change the exit status.
            """)
        {
            scenarios, seconds, seed, path, benchRounds, @out, force,
        };
        command.SetAction(parse => Run(parse.GetValue(scenarios) ?? ShippedScenarios, parse.GetValue(seconds),
            parse.GetValue(seed), path.Of(parse), parse.GetValue(benchRounds), parse.GetValue(@out),
            parse.GetValue(force), parse.Tokens.Select(t => t.Value).Skip(1).ToArray(), context));
        return command;
    }

    private static int Run(string directory, long seconds, ulong seed, FaultPath path, long benchRounds, string? benchOut,
        bool force, string[] args, CliContext context)
    {
        var (stdout, stderr, interrupt) = (context.Stdout, context.Stderr, context.Interrupt);
        if (force && benchOut is null)
        {
            throw new UsageException("--force applies to --out", "run");
        }
        if (benchOut is not null && benchRounds == 0)
        {
            throw new UsageException("--out is where the bench's result set goes, and --bench-rounds 0 skips the bench", "run");
        }
        if (!Directory.Exists(directory))
        {
            stderr.WriteLine($"faultlab: no scenarios directory at {Workloads.Excerpt.QuotePath(directory)}");
            return ExitCodes.Usage;
        }
        // Checked (and, by default, chosen) before anything runs; a default set never replaces an earlier one.
        var benchOutput = benchRounds == 0 ? null
            : benchOut is not null ? OutputPath.ForDirectory(benchOut, "--out", force)
            : OutputPath.NewDirectory(Path.Combine(Directory.GetCurrentDirectory(), OutputPath.ArtifactsDirectory),
                ResultSet.Name(DateTimeOffset.UtcNow, "quick"), "--out");

        var scenarios = new List<ScenarioResult>();
        foreach (var file in ScenarioFiles.InDirectory(directory))
        {
            scenarios.Add(RunScenario(file, path, stdout, stderr, interrupt.Token));
            interrupt.Kept = $"scenarios: {Scenarios(scenarios)} (above); no result set was written";
        }
        var kept = $"scenarios: {Scenarios(scenarios)}";
        (BenchReport, string)? bench = benchOutput is not null
            ? Bench((int)benchRounds, benchOutput, args, stdout, stderr, interrupt.Token)
            : null;
        if (bench is var (_, written))
        {
            kept += $"; bench: the result set {Path.GetRelativePath(Directory.GetCurrentDirectory(), written)}";
        }
        interrupt.Kept = kept + (bench is null ? "" : " (its table is above)");
        if (seconds > 0)
        {
            stderr.WriteLine($"fuzz: checking the model for {seconds} s on the {FaultPathNames.NameOf(path)} path (seed {seed})...");
        }
        var fuzz = seconds > 0
            ? ModelChecker.Run(new CheckerOptions
            {
                Seed = seed, Duration = TimeSpan.FromSeconds(seconds), Path = path, Cancellation = interrupt.Token,
            })
            : null;
        if (fuzz is { Interrupted: true, Failure: null })
        {
            interrupt.Kept = $"{kept}; fuzz: {fuzz.Runs} runs, {fuzz.Operations} operations done, no violation (seed {seed})";
            interrupt.ThrowIfRequested();
        }
        if (fuzz?.Failure is { } failure)
        {
            ReportViolation(failure, stdout);
        }

        var passed = scenarios.Count(r => r.Passed);
        WriteSummary(stdout, path, passed, scenarios.Count - passed, bench, fuzz, seed, seconds);
        if (scenarios.Count == 0 && fuzz is null)
        {
            // The bench measures, it does not check: a run that neither ran a scenario nor fuzzed held nothing to account.
            stderr.WriteLine($"faultlab: run: nothing was checked: no *{ScenarioFiles.Extension} file in {Workloads.Excerpt.QuotePath(directory)} and fuzzing skipped (--seconds 0)");
            return ExitCodes.Failed;
        }
        return passed == scenarios.Count && fuzz?.Failure is null ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>Each file gets its summary line; only failures are spelled out (the full transcript is
    /// <c>faultlab scenario</c>'s job).</summary>
    private static ScenarioResult RunScenario(string file, FaultPath path, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var result = ScenarioFiles.Run(file, path, cancellation);
        foreach (var error in result.Errors)
        {
            stderr.WriteLine(error);
        }
        if (result.Ran)
        {
            TextTranscript.WriteFailures(result, stdout);
        }
        return result;
    }

    /// <summary>The quick bench: its table and goals, and its result set (default
    /// FaultLab.Artifacts/&lt;date&gt;-quick under the current directory).</summary>
    private static (BenchReport Report, string Directory) Bench(int rounds, OutputPath output, string[] args, TextWriter stdout,
        TextWriter stderr, CancellationToken cancellation)
    {
        // In a child: this process runs the checked configuration, the benchmarks measure the model without it.
        var report = QuickBenchChild.Run(rounds, BenchCommand.CommandLine("run", args), stderr, cancellation);
        BenchCommand.WriteReport(report, stdout);
        var written = ResultSet.Write(output, report);
        stdout.WriteLine($"bench: wrote the result set {written}");
        return (report, written);
    }

    private static string Scenarios(List<ScenarioResult> results) =>
        $"{results.Count(r => r.Passed)} passed, {results.Count(r => !r.Passed)} failed";

    private static void ReportViolation(CheckFailure failure, TextWriter stdout)
    {
        stdout.WriteLine($"fuzz: violation (seed {failure.Seed}): {failure.Violation}");
        stdout.WriteLine("fuzz: shrunk operations:");
        foreach (var operation in failure.ShrunkOperations)
        {
            stdout.WriteLine($"  {operation}");
        }
    }

    private static string BenchLine(BenchReport report, string directory)
    {
        var goals = Goals.Evaluate(report.Results).Where(g => g.Met is not null).ToList();
        return $"{report.Results.Select(r => r.Workload).Distinct().Count()} workloads × " +
               $"{report.Results.Select(r => r.Family).Distinct().Count()} families × " +
               $"{report.Results.Select(r => r.Path).Distinct().Count()} paths, " +
               $"goals met {goals.Count(g => g.Met == true)}/{goals.Count}, " +
               $"results in {Path.GetRelativePath(Directory.GetCurrentDirectory(), directory)}";
    }

    private static void WriteSummary(TextWriter stdout, FaultPath path, int passed, int failed,
        (BenchReport Report, string Directory)? bench, CheckResult? fuzz, ulong seed, long seconds)
    {
        var benchLine = bench is not var (report, directory)
            ? "skipped (--bench-rounds 0)"
            : BenchLine(report, directory);
        var fuzzLine = fuzz is null
            ? "skipped (--seconds 0)"
            : $"{fuzz.Runs} runs, {fuzz.Operations} operations, {(fuzz.Failure is null ? 0 : 1)} violations (seed {seed}, {seconds} s)";
        var summary = new Table("check", "result");
        summary.Add("path", FaultPathNames.NameOf(path));
        summary.Add("scenarios", $"{passed} passed, {failed} failed");
        summary.Add("bench", benchLine);
        summary.Add("fuzz", fuzzLine);
        stdout.WriteLine();
        summary.WriteText(stdout);
    }
}
