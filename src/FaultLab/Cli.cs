using System.CommandLine;
using System.CommandLine.Parsing;
using System.Reflection;
using FaultLab.Cli.CommandLine;
using FaultLab.Workloads.Output;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary>
/// The entry point of <c>faultlab</c>, callable in-process (tests do). System.CommandLine parses every verb (help,
/// <c>--version</c>, response files <c>@FILE</c>, completions through <c>dotnet-suggest</c>); its parse errors and the
/// verbs' own usage mistakes are exit 2 with one line on stderr and a pointer to the verb's help, anything
/// unexpected is exit 70, never a stack trace.
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
            var root = Verbs.Root(new CliContext(stdout, stderr, interrupt));
            var parse = root.Parse(args);
            // Program chose the checked configuration from the first argument; a response file (@FILE) names the
            // verb only now, still before anything touched the model.
            if (parse.CommandResult.Command.Name is "fuzz" or "scenario" or "run")
                AppContext.SetSwitch(Core.ModelChecks.Switch, true);
            if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
                return ParseFailed(parse, stderr);
            var code = parse.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // Exceptions are this method's to report, and signals Interrupt's to handle.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
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

    /// <summary>The first parse error, escaped and bounded (it may quote what the user typed), then where help is.</summary>
    private static int ParseFailed(ParseResult parse, TextWriter stderr)
    {
        var error = parse.Errors[0];
        var command = (error.SymbolResult as CommandResult ?? parse.CommandResult).Command;
        stderr.WriteLine($"faultlab: {Excerpt.Of(OneLine(error.Message), 400)}");
        stderr.WriteLine(command is RootCommand ? "Try 'faultlab --help'." : $"Try 'faultlab {command.Name} --help'.");
        return ExitCodes.Usage;
    }

    /// <summary>One line: which signal ended the verb and what it kept; exit 128 + the signal's number.</summary>
    private static int Interrupted(string verb, Interrupt interrupt, TextWriter stderr)
    {
        stderr.WriteLine($"faultlab: {Excerpt.Of(verb)}: interrupted by {interrupt.SignalName}; {interrupt.Kept}");
        stderr.Flush();
        return interrupt.ExitCode;
    }

    public static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static string OneLine(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message.ReplaceLineEndings(" "), @"[ \t]+", " ");
}
