namespace FaultLab.Cli;

/// <summary>What <c>--help</c> prints, for the tool and for each verb.</summary>
internal static class HelpText
{
    /// <summary>Every verb, in the order the tool's help lists them: what <c>faultlab help</c> knows about.</summary>
    public static readonly IReadOnlyList<string> Commands =
        ["run", "scenario", "fuzz", "bench", "compare", "flame", "trace", "variants", "diff", "help"];

    public static string CommandList => string.Join(", ", Commands);

    public const string Tool = """
        faultlab: a performance lab around an executable model of NetBSD UVM's page-fault handler.

        Usage: faultlab <command> [options]

        Commands:
          run         run every shipped example scenario, a quick bench and a short fuzz; print a summary
          scenario    run scenario files (.flt) and print their transcripts
          fuzz        check the model against its invariants with random operation sequences
                      (--lockstep: the three fault paths against each other as well)
          bench       measure the workloads on every fault path (BenchmarkDotNet, or --quick in-process)
          compare     compare two bench results and flag what moved beyond the noise
          flame       record a CPU flame graph of a workload, or diff two of them
          trace       record a workload's fault-stage events and print per-stage counts and time shares
          variants    list the specialized variants of the fault path the generator made
          diff        diff two fault paths (generic or a variant), source or --asm native code
          help        show this help, or a command's help: faultlab help <command>

        Options:
          -h, --help  show this help
          --version   show the version

        Exit status: 0 all good; 1 an expectation or invariant did not hold; 2 bad usage, unreadable input or an
        unusable output path (checked before any work starts); 70 internal error; 130, 143, 129 interrupted by
        SIGINT, SIGTERM, SIGHUP (every command then stops its child processes, removes its temporary files and
        says what it kept).
        """;

    public const string Scenario = """
        Usage: faultlab scenario FILE|DIR... [--path PATH] [--json]

        Runs each scenario file on a fresh simulated machine and prints its transcript: one line per statement,
        `LINE: STATEMENT => OUTCOME`, each failed expectation right after it as `FILE:LINE: expected ..., got ...`,
        and a summary `FILE: N statements, M failed`. A directory stands for its *.flt files, sorted by name.
        A file with parse errors (`FILE:LINE:COL: message`, on stderr) does not run at all; the others still do.

        Options:
          --path PATH  the fault path the machine runs: generic, specialized (default), monomorphized
          --json       print the transcripts as one JSON array instead
          -h, --help   show this help

        Exit status: 0 every expectation held; 1 some did not; 2 a file could not be read or parsed.
        The language: docs/scenarios.md.
        """;

    public const string Run = """
        Usage: faultlab run [--scenarios DIR] [--seconds N] [--seed S] [--path PATH] [--bench-rounds N]
                            [--out DIR [--force]]

        The lab's main job: runs every example scenario shipped with the tool (the scenarios/ directory beside it)
        on one fault path, then the quick bench (every workload on all three fault paths, in-process; its table is
        printed and its result set written), then fuzzes the model for a few seconds on the same path, and prints a
        summary table that starts with the path that ran. Failed expectations and the fuzzer's counterexample, if
        any, are printed before the table. (faultlab fuzz --lockstep checks the paths against each other.)

        Options:
          --scenarios DIR     run the *.flt files of DIR instead of the shipped ones
          --seconds N         fuzzing budget in seconds (default 10; 0 skips fuzzing)
          --seed S            fuzzer seed (default 1)
          --path PATH         the fault path the scenarios and the fuzzer run: generic, specialized (default),
                              monomorphized (the bench always measures all three)
          --bench-rounds N    rounds of the quick bench (default 21; 0 skips the bench)
          --out DIR           where the bench's result set goes: absent or empty (default a new
                              FaultLab.Artifacts/<yyyy-MM-dd>-quick[-N] under the current directory)
          --force             replace DIR if it holds a result set already
          -h, --help          show this help

        Exit status: 0 all scenarios passed and the fuzzer found nothing; 1 otherwise, or nothing was checked
        (no scenario file and --seconds 0); 2 bad usage, no scenarios directory or an unusable --out.
        The bench's figures never change the exit status.
        """;

    public const string Bench = """
        Usage: faultlab bench [--quick] [--filter W[,W...]] [--json FILE] [--out DIR [--force]] [--kernel] [--note TEXT]
                              [--rounds N] [--sample-ms N] [--warmup-ms N]        (with --quick)
                              [--in-process] [--short | --dry] [--verbose]       (without --quick)

        Measures the built-in workloads (soft-refault, anon-zfod, fork-cow, file-read, file-seq, file-cow, wire,
        mixed) on the generic, specialized and monomorphized fault paths, per fault, with the generic path and the
        data floor (zeroing or copying one 4 KiB page) as baselines measured in the same run. Prints a table and the
        goals the figures are held to; progress goes to stderr.

        Without --quick the suites of perf/FaultLab.Benchmarks run under BenchmarkDotNet: each benchmark in its own
        process built with dotnet from the repository (found above the current directory or the tool), a default
        job and a job with tiered compilation off, MemoryDiagnoser on. Expect tens of minutes for all workloads.
        --quick measures in this process in well under a minute: per workload the three paths and the floor are
        sampled round-robin for several rounds; figures are medians, ratios medians of per-round ratios.

        Options:
          --quick          in-process quick bench instead of BenchmarkDotNet
          --filter W,...   only these workloads (default all)
          --json FILE      write the results as JSON (machine, results; see results/README.md); - is standard
                           output (the table then goes to standard error), a device or FIFO is written as a
                           stream, a symlink is written through, a regular file is replaced whole
          --out DIR        write a result set: DIR/results.md, results.json, environment.md (indexed in
                           DIR/../README.md when DIR is in a results/ directory); DIR absent or empty
          --force          replace DIR if it holds a result set already
          --kernel         also measure this machine's own page faults and print them beside the model's
          --note TEXT      a remark recorded with the results (e.g. "machine busy")
          --rounds N       quick: rounds per workload (default 21)
          --sample-ms N    quick: length of one sample in milliseconds (default 20)
          --warmup-ms N    quick: minimum warm-up per workload in milliseconds (default 400)
          --in-process     BenchmarkDotNet in this process (no build; no tiering-off job)
          --short          BenchmarkDotNet's short run (3 warm-up, 3 measured iterations)
          --dry            BenchmarkDotNet's dry job: a smoke test, its figures mean nothing
          --verbose        show BenchmarkDotNet's own log (it is always kept in BenchmarkDotNet.Artifacts)
          -h, --help       show this help

        Both paths are checked before anything is measured (a missing directory, a directory where a file goes, a
        place where nothing can be written, an existing set without --force: exit 2, naming the path and why).

        Exit status: 0 measured (whatever the figures); 1 some benchmark failed; 2 bad usage or an unusable path.
        """;

    public const string Compare = """
        Usage: faultlab compare OLD NEW

        Compares two bench results (results.json files, or result-set directories holding one): for every figure
        (a workload on a path and job, or a data floor) the ratio NEW/OLD, flagged SLOWER or FASTER when it moves
        by more than the larger of the two runs' noise, and never for less than 5%. Figures only compare between
        runs on the same machine.

        Exit status: 0 compared (whatever moved); 2 bad usage or a result that cannot be read.
        """;

    public const string Variants = """
        Usage: faultlab variants [--json] [--no-native]

        Lists the specialized variants of the fault path declared in FaultCore (one per configuration: wired or
        not, the advice, copy-on-write or not), each with the lines of source the generator produced for it and the
        number of methods of the generic path it has its own copy of, and the bytes of IL and of native code (the
        JIT's, at full optimisation, measured in a child process) of those methods. A last line names the configurations that
        have no variant: the dispatcher runs the generic path for them. The specialized path (--path specialized)
        runs the Roslyn-generated copies; the monomorphized path runs the same configurations as struct type
        parameters that the JIT folds.

        Options:
          --json       print an array of { "name", "wired", "advice", "cow", "generatedLines", "methods", "ilBytes",
                       "nativeBytes" } instead
          --no-native  skip the native code sizes (no child process; they print as - or null)
          -h, --help  show this help

        Exit status: 0; 2 bad usage.
        """;

    /// <summary>The help for a verb, or null when there is no such verb.</summary>
    public const string Diff = """
        Usage: faultlab diff A B [--asm] [--color auto|always|never]

        Shows what two fault paths differ in, method by method, as unified diffs. A and B are 'generic' or a
        variant's name (faultlab variants lists them, e.g. wired+sequential+cow). Against 'generic', the diff
        shows what the generator's folding removed from the generic path.

        Options:
          --asm          diff the JIT's native code (full optimisation, in a child process with
                         DOTNET_JitDisasm), normalised so that only real differences show, with code
                         sizes per method
          --color WHEN   colour the diff: auto (on a terminal, the default), always, never

        Exit status: 0, or 2 for usage errors (an unknown name lists the valid ones).
        """;

    public const string Trace = """
        Usage: faultlab trace --workload W [--path PATH] [--seconds N]

        Runs a built-in workload in a child process with the fault-stage events of FaultCore enabled (EventSource
        FaultLab-Fault, through EventPipe), then prints how many times each stage of the fault path ran (check,
        upper-lookup, upper, lower-lookup, lower-io, promote, enter; "entry" is the map lookup and dispatch before
        the first stage) and its share of the faults' time.

        Options:
          --workload W   one of the built-in workloads (faultlab bench --help lists them)
          --path PATH    generic, specialized (default) or monomorphized
          --seconds N    how long to record (default 3)

        Exit status: 0; 1 the recording failed; 2 bad usage; 130, 143, 129 interrupted by SIGINT, SIGTERM, SIGHUP
        (the child is stopped, its trace and sockets removed).
        """;

    public static readonly string Help = $"""
        Usage: faultlab help [COMMAND]

        Shows the tool's help, or the help of one command (the same as faultlab COMMAND --help).
        Commands: {CommandList}.

        Exit status: 0; 2 an unknown command.
        """;

    public static string? For(string verb) => verb switch
    {
        "help" => Help,
        "trace" => Trace,
        "diff" => Diff,
        "scenario" => Scenario,
        "run" => Run,
        "bench" => Bench,
        "compare" => Compare,
        "flame" => FlameCommand.Help,
        "variants" => Variants,
        _ => null,
    };
}
