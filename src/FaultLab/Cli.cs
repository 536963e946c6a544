using System.Reflection;
using FaultLab.Workloads.Output;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary>
/// The entry point of <c>faultlab</c>, callable in-process (tests do): picks the verb, turns usage mistakes into
/// exit 2 with one line on stderr and anything unexpected into exit 70, never a stack trace.
/// </summary>
public static class Cli
{
    /// <param name="interrupt">The signals the verb answers (the process's own, from Program); none by default.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Interrupt? interrupt = null)
    {
        interrupt ??= new Interrupt();
        var verb = args.FirstOrDefault() ?? "faultlab";
        try
        {
            var code = Dispatch(args, stdout, stderr, interrupt);
            return interrupt.Requested ? Interrupted(verb, interrupt, stderr) : code;
        }
        catch (Exception) when (interrupt.Requested)
        {
            // The verb stopped (and cleaned up) because of the signal; whatever it threw on the way out (a child
            // that died of the same Ctrl+C, a cancelled wait) is a consequence, not a failure.
            return Interrupted(verb, interrupt, stderr);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"faultlab: {e.Message}");
            stderr.WriteLine(e.Verb is null ? "Try 'faultlab --help'." : $"Try 'faultlab {e.Verb} --help'.");
            return ExitCodes.Usage;
        }
        catch (OutputPathException e)
        {
            // Checked before the work started (or, rarely, the write at the end failed): the path and the reason.
            stderr.WriteLine($"faultlab: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"faultlab: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>One line: which signal ended the verb and what it kept; exit 128 + the signal's number.</summary>
    private static int Interrupted(string verb, Interrupt interrupt, TextWriter stderr)
    {
        stderr.WriteLine($"faultlab: {Workloads.Excerpt.Of(verb)}: interrupted by {interrupt.SignalName}; {interrupt.Kept}");
        stderr.Flush();
        return interrupt.ExitCode;
    }

    private static int Dispatch(string[] args, TextWriter stdout, TextWriter stderr, Interrupt interrupt)
    {
        if (args.Length == 0)
        {
            stderr.WriteLine(HelpText.Tool);
            return ExitCodes.Usage;
        }
        var rest = args[1..];
        switch (args[0])
        {
            case "-h" or "--help":
                stdout.WriteLine(HelpText.Tool);
                return ExitCodes.Success;
            case "help":
                return Help(rest, stdout, stderr);
            case "--version":
                stdout.WriteLine($"faultlab {Version}");
                return ExitCodes.Success;
            case "scenario":
                return ScenarioCommand.Run(rest, stdout, stderr, interrupt);
            case "run":
                return RunCommand.Run(rest, stdout, stderr, interrupt);
            case "fuzz":
                return FuzzCommand.Run(rest, stdout, stderr, interrupt);
            case "bench":
                return BenchCommand.Run(rest, stdout, stderr, interrupt);
            case "compare":
                return CompareCommand.Run(rest, stdout, stderr);
            case "flame":
                return FlameCommand.Run(rest, stdout, stderr, interrupt);
            case FlameCommand.HostVerb: // hidden: the child of `faultlab flame`
                return FlameCommand.RunHost(rest, stdout, stderr);
            case "trace":
                return TraceCommand.Run(rest, stdout, stderr, interrupt);
            case "variants":
                return VariantsCommand.Run(rest, stdout, stderr, interrupt);
            case "diff":
                return Diff.DiffCommand.Run(rest, stdout, stderr, interrupt);
            case QuickBenchChild.HostVerb: // hidden: the child of `faultlab run` that benches without the checks
                return QuickBenchChild.Host(rest, stdout, stderr, interrupt.Token);
            case Diff.JitCollector.HostVerb: // hidden: the child process of 'diff --asm'
                return Diff.JitCollector.Host(rest, stdout, stderr);
            default:
                throw new UsageException(args[0].StartsWith('-') ? $"unknown option {Excerpt.Quote(args[0])}" : $"unknown command {Excerpt.Quote(args[0])}");
        }
    }

    private static int Help(string[] topics, TextWriter stdout, TextWriter stderr)
    {
        switch (topics)
        {
            case []:
                stdout.WriteLine(HelpText.Tool);
                return ExitCodes.Success;
            case ["-h" or "--help"]:
                stdout.WriteLine(HelpText.Help);
                return ExitCodes.Success;
            case ["fuzz"]:
                // The fuzz command owns its options and so its help.
                return FuzzCommand.Run(["--help"], stdout, stderr);
            case [var verb] when HelpText.For(verb) is { } text:
                stdout.WriteLine(text);
                return ExitCodes.Success;
            default:
                throw new UsageException($"no help for {Workloads.Excerpt.Quote(string.Join(' ', topics))}; commands: {HelpText.CommandList}");
        }
    }

    private static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
