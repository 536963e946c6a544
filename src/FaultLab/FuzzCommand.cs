using System.Diagnostics;
using System.Globalization;
using FaultLab.Core;
using FaultLab.Workloads.Checking;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary><c>faultlab fuzz</c>: the randomized model checker (FaultLab.Workloads.Checking) from the command line.</summary>
internal static class FuzzCommand
{
    const string Usage = "usage: faultlab fuzz --seconds N [--seed S] [--steps K] [--runs R] [--path PATH | --lockstep]";

    const string Help = """

        Runs random sequences of process operations (mmap, fork, read, write, mprotect, mlock, loan, pageout, ...)
        on small simulated machines and checks every step against an independent oracle of what each process must
        see, and against the model's own invariants. The first violation is shrunk to a short scenario file.

          --seconds N   time budget (required unless --runs is given)
          --seed S      session seed, decimal or 0x hex (default 1); run 0 uses S itself
          --steps K     operations per run (default 200)
          --runs R      stop after R runs
          --path PATH   the fault path the machine runs: generic, specialized (default), monomorphized
          --lockstep    run every sequence on one machine per fault path at once (generic, specialized,
                        monomorphized; not with --path): besides the usual checks of the generic path, any
                        difference between the paths is a violation ("divergence"): in an operation's result
                        (errno, fault case, restarts, neighbours, prot, value) or, after each step, in the
                        counters, the invariant checker's findings or the machine's fingerprint (maps, pmaps,
                        page contents). For a difference in a result, the shrunk scenario states the generic
                        path's result there: it holds on --path generic and fails on the path that differs.
                        Much slower than one path (three machines, three fingerprints a step).

        Prints progress about once a second and a summary. Exit status: 0 no violation; 1 a violation (its seed,
        the violation and the shrunk scenario are printed; `--seed SEED --runs 1` replays it); 2 bad usage.
        """;

    // faultlab fuzz --seconds N [--seed S] [--steps K] [--runs R] [--path PATH | --lockstep]
    // args are those after the verb; a leading "fuzz" is tolerated.
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Interrupt? interrupt = null)
    {
        interrupt ??= new Interrupt();
        if (args.Contains("--help") || args.Contains("-h"))
        {
            stdout.WriteLine(Usage);
            stdout.WriteLine(Help);
            return 0;
        }
        if (!TryParse(args, out var options, out var error))
        {
            stderr.WriteLine($"fuzz: {error}");
            stderr.WriteLine(Usage);
            return 2;
        }

        options = options with { Cancellation = interrupt.Token };
        var clock = Stopwatch.StartNew();
        var result = ModelChecker.Run(options, progress =>
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fuzz: {progress.Runs} runs, {progress.Operations} operations, " +
                $"{progress.Operations / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} ops/s")));
        var seconds = clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);

        var mode = (options.Lockstep ? "lockstep" : $"path {FaultPathNames.NameOf(options.Path)}") +
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
        var again = options.Lockstep ? "--lockstep" : $"--path {FaultPathNames.NameOf(options.Path)}";
        stdout.WriteLine($"fuzz: reproduce with: faultlab fuzz --seed {failure.Seed} --runs 1 --steps {options.StepsPerRun} {again}");
        stdout.WriteLine("fuzz: shrunk scenario:");
        stdout.WriteLine($"# faultlab fuzz: seed {failure.Seed}");
        foreach (var line in failure.ShrunkOperations) stdout.WriteLine(line);
        return 1;
    }

    static bool TryParse(string[] args, out CheckerOptions options, out string error)
    {
        options = new CheckerOptions { Path = FaultPath.Specialized };
        error = "";
        double? seconds = null;
        var pathGiven = false;
        for (var i = args is ["fuzz", ..] ? 1 : 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--lockstep")
            {
                options = options with { Lockstep = true };
                continue;
            }
            if (name is not ("--seconds" or "--seed" or "--steps" or "--runs" or "--path"))
            {
                error = $"unknown argument {Excerpt.Quote(name)}";
                return false;
            }
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return false;
            }
            var value = args[++i];
            switch (name)
            {
                case "--seconds":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                        || !(s > 0) || s > TimeSpan.MaxValue.TotalSeconds / 2)
                    {
                        error = $"--seconds: {Excerpt.Quote(value)} is not a positive number of seconds";
                        return false;
                    }
                    seconds = s;
                    break;
                case "--seed":
                    if (!TryParseSeed(value, out var seed))
                    {
                        error = $"--seed: {Excerpt.Quote(value)} is not an unsigned 64-bit number";
                        return false;
                    }
                    options = options with { Seed = seed };
                    break;
                case "--steps":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var steps) || steps < 1)
                    {
                        error = $"--steps: {Excerpt.Quote(value)} is not a positive integer";
                        return false;
                    }
                    options = options with { StepsPerRun = steps };
                    break;
                case "--runs":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var runs) || runs < 1)
                    {
                        error = $"--runs: {Excerpt.Quote(value)} is not a positive integer";
                        return false;
                    }
                    options = options with { MaxRuns = runs };
                    break;
                case "--path":
                    if (!Enum.GetValues<FaultPath>().Any(p => FaultPathNames.NameOf(p) == value))
                    {
                        error = $"--path: unknown path {Excerpt.Quote(value)}; known: {PathOption.Known}";
                        return false;
                    }
                    options = options with { Path = Enum.GetValues<FaultPath>().First(p => FaultPathNames.NameOf(p) == value) };
                    pathGiven = true;
                    break;
            }
        }
        if (pathGiven && options.Lockstep)
        {
            error = "--lockstep runs every path; it does not take --path";
            return false;
        }
        if (seconds is null && options.MaxRuns is null)
        {
            error = "give --seconds (or --runs)";
            return false;
        }
        // With --runs alone the run count is the limit, not the clock.
        options = options with { Duration = seconds is { } d ? TimeSpan.FromSeconds(d) : TimeSpan.MaxValue };
        return true;
    }

    static bool TryParseSeed(string text, out ulong seed) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out seed)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seed);
}
