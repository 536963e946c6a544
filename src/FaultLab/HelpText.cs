namespace FaultLab.Cli;

/// <summary>What <c>--help</c> prints, for the tool and for each verb.</summary>
internal static class HelpText
{
    public const string Tool = """
        faultlab: a performance lab around an executable model of NetBSD UVM's page-fault handler.

        Usage: faultlab <command> [options]

        Commands:
          run         run every shipped example scenario, then a short fuzz of the model; print a summary
          scenario    run scenario files (.flt) and print their transcripts
          fuzz        check the model against its invariants with random operation sequences
                      (--lockstep: the three fault paths against each other as well)
          flame       record a CPU flame graph of a workload, or diff two of them
          trace       record a workload's fault-stage events and print per-stage counts and time shares
          variants    list the specialized variants of the fault path the generator made
          diff        diff two fault paths (generic or a variant), source or --asm native code
          help        show this help, or a command's help: faultlab help <command>

        Options:
          -h, --help  show this help
          --version   show the version

        Exit status: 0 all good; 1 an expectation or invariant did not hold; 2 bad usage or unreadable input;
        70 internal error.
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
        Usage: faultlab run [--scenarios DIR] [--seconds N] [--seed S] [--path PATH]

        The lab's self-check: runs every example scenario shipped with the tool (the scenarios/ directory beside
        it), then fuzzes the model for a few seconds, both on one fault path, and prints a summary table that
        starts with the path that ran. Failed expectations and the fuzzer's counterexample, if any, are printed
        before the table. (faultlab fuzz --lockstep checks the paths against each other.)

        Options:
          --scenarios DIR  run the *.flt files of DIR instead of the shipped ones
          --seconds N      fuzzing budget in seconds (default 10; 0 skips fuzzing)
          --seed S         fuzzer seed (default 1)
          --path PATH      the fault path the machine runs: generic, specialized (default), monomorphized
          -h, --help       show this help

        Exit status: 0 all scenarios passed and the fuzzer found nothing; 1 otherwise; 2 bad usage or no
        scenarios directory.
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

        Exit status: 0; 1 the recording failed; 2 bad usage.
        """;

    public static string? For(string verb) => verb switch
    {
        "trace" => Trace,
        "diff" => Diff,
        "scenario" => Scenario,
        "run" => Run,
        "flame" => FlameCommand.Help,
        "variants" => Variants,
        _ => null,
    };
}
