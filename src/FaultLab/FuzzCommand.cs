using System.Diagnostics;
using System.Globalization;
using System.CommandLine;
using FaultLab.Cli.CommandLine;
using FaultLab.Core;
using FaultLab.Workloads.Checking;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary><c>faultlab fuzz</c>: the randomized model checker (FaultLab.Workloads.Checking) from the command line.</summary>
internal static class FuzzCommand
{
    public static Command Create(CliContext context)
    {
        var seconds = CliOptions.Seconds(null, "time budget (required unless --runs is given)");
        var seed = CliOptions.Seed("session seed, decimal or 0x hex; run 0 uses S itself");
        var steps = new IntegerOption("--steps", "operations per run", 1, 1_000_000, 200, "K");
        var runs = new IntegerOption("--runs", "stop after R runs", 1, int.MaxValue, null, "R");
        var path = CliOptions.Path();
        var family = CliOptions.Family("the fault-handler family of the machines checked (its operations are the ones generated)");
        var crossFamily = new FamilyOption("""
            also run every sequence on a machine of this other family (cross-family mode): any difference in what both
            families' contracts say processes see (an operation's errno, whether an access succeeded, the bytes read and
            peeked) is a violation ("cross-family")
            """, "--cross-family", optional: true);
        var lockstep = CliOptions.Flag("--lockstep", """
            run every sequence on one machine per fault path at once (generic, specialized, monomorphized; not with
            --path): besides the usual checks of the generic path, any difference between the paths is a violation
            ("divergence"): in an operation's result (errno, fault case, restarts, neighbours, prot, value) or, after
            each step, in the counters, the invariant checker's findings or the machine's fingerprint (maps, pmaps,
            page contents). For a difference in a result, the shrunk scenario states the generic path's result there:
            it holds on --path generic and fails on the path that differs. Much slower than one path.
            """);
        var command = new Verb("fuzz", "check the model against its invariants with random operation sequences", """
            The randomized model checker: runs random sequences of process operations (mmap, fork, read, write,
            mprotect, mlock, loan, pageout, ...) on small simulated machines and checks every step against an
            independent oracle of what each process must see, and against the model's own invariants. The first
            violation is shrunk to a short scenario file. Progress goes to standard error about once a second.

            Exit status: 0 no violation; 1 a violation (its seed, the violation and the shrunk scenario are printed;
            `--seed SEED --runs 1` replays it); 2 bad usage.
            """)
        {
            seconds, seed, steps, runs, path, family, crossFamily, lockstep,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(path) is { Implicit: false } && result.GetValue(lockstep))
                result.AddError("--lockstep runs every path; it does not take --path");
            if (result.GetResult(crossFamily) is { Implicit: false } && result.GetValue(crossFamily) == (result.GetValue(family) ?? MachineCatalog.BuiltIn.Default.Name))
                result.AddError("--cross-family names the family checked; give another one");
            if (result.GetResult(seconds) is null or { Implicit: true } && result.GetResult(runs) is null or { Implicit: true })
                result.AddError("give --seconds (or --runs)");
        });
        command.SetAction(parse =>
        {
            var given = parse.Given(seconds);
            var options = new CheckerOptions
            {
                Path = path.Of(parse),
                Family = family.Of(parse),
                CrossFamily = crossFamily.OrNull(parse),
                Seed = parse.GetValue(seed),
                StepsPerRun = (int)parse.GetValue(steps),
                MaxRuns = parse.Given(runs) ? (int)parse.GetValue(runs) : null,
                Lockstep = parse.GetValue(lockstep),
                // With --runs alone the run count is the limit, not the clock.
                Duration = given ? TimeSpan.FromSeconds(parse.GetValue(seconds)) : TimeSpan.MaxValue,
            };
            return Run(options, context.Stdout, context.Stderr, context.Interrupt);
        });
        return command;
    }

    public static int Run(CheckerOptions options, TextWriter stdout, TextWriter stderr, Interrupt? interrupt = null)
    {
        interrupt ??= new Interrupt();
        options = options with { Cancellation = interrupt.Token };
        var clock = Stopwatch.StartNew();
        var result = ModelChecker.Run(options, progress =>
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fuzz: {progress.Runs} runs, {progress.Operations} operations, " +
                $"{progress.Operations / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} ops/s")));
        var seconds = clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);

        var mode = (options.Family == MachineCatalog.BuiltIn.Default ? "" : $"family {options.Family.Name}, ") +
                   (options.CrossFamily is { } other ? $"against {other.Name}, " : "") + (options.Lockstep ? "lockstep" : $"path {FaultPathNames.NameOf(options.Path)}") +
                   (ModelChecks.Enabled ? ", checked" : ", KASSERTs off");
        if (result.Interrupted && result.Failure is null)
        {
            // What was done stays reproducible: the session seed, and how far it got.
            stdout.WriteLine($"fuzz: interrupted after {result.Runs} runs, {result.Operations} operations, 0 violations " +
                             $"(seed {options.Seed}, {mode}, {seconds} s)");
            stdout.Flush();
            interrupt.Kept = $"the seed ({options.Seed}) and the {result.Operations} operations done are above";
            interrupt.ThrowIfRequested();
        }
        if (result.Failure is not { } failure)
        {
            stdout.WriteLine($"fuzz: {result.Runs} runs, {result.Operations} operations, 0 violations " +
                             $"(seed {options.Seed}, {mode}, {seconds} s)");
            return 0;
        }

        stdout.WriteLine($"fuzz: {result.Runs} runs, {result.Operations} operations, 1 violation " +
                         $"(seed {options.Seed}, {mode}, {seconds} s)");
        stdout.WriteLine($"fuzz: violation in the run with seed {failure.Seed}: {failure.Violation}");
        var again = (options.Lockstep ? "--lockstep" : $"--path {FaultPathNames.NameOf(options.Path)}") +
                    (options.Family == MachineCatalog.BuiltIn.Default ? "" : $" --family {options.Family.Name}") +
                    (options.CrossFamily is { } against ? $" --cross-family {against.Name}" : "");
        stdout.WriteLine($"fuzz: reproduce with: faultlab fuzz --seed {failure.Seed} --runs 1 --steps {options.StepsPerRun} {again}");
        stdout.WriteLine("fuzz: shrunk scenario:");
        stdout.WriteLine($"# faultlab fuzz: seed {failure.Seed}");
        foreach (var line in failure.ShrunkOperations) stdout.WriteLine(line);
        return 1;
    }
}
