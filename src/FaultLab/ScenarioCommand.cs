using FaultLab.Core;
using FaultLab.Workloads.Scenarios;

namespace FaultLab.Cli;

/// <summary><c>faultlab scenario FILE|DIR... [--path PATH] [--json]</c>.</summary>
internal static class ScenarioCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Interrupt interrupt)
    {
        var arguments = new Arguments("scenario", args);
        var path = FaultPath.Specialized;
        var json = false;
        while (arguments.NextOption())
        {
            switch (arguments.Current)
            {
                case "-h" or "--help":
                    stdout.WriteLine(HelpText.Scenario);
                    return ExitCodes.Success;
                case "--path":
                    path = PathOption.Parse(arguments);
                    break;
                case "--json":
                    json = true;
                    break;
                default:
                    throw arguments.Unknown();
            }
        }
        if (arguments.Operands.Count == 0)
        {
            throw arguments.Error("no scenario files given");
        }

        var results = new List<ScenarioResult>();
        try
        {
            foreach (var operand in arguments.Operands)
            {
                foreach (var result in RunOperand(operand, path, interrupt.Token))
                {
                    results.Add(result);
                    Report(result, json ? null : stdout, stderr);
                    interrupt.Kept = json ? "nothing was written" : $"the transcripts of the {results.Count} files that ran are above";
                }
            }
        }
        catch (OperationCanceledException) when (interrupt.Requested)
        {
            if (json)
            {
                JsonTranscript.Write(results, stdout);
                interrupt.Kept = $"the JSON above covers the {results.Count} files that ran to their end";
            }
            throw;
        }
        if (json)
        {
            JsonTranscript.Write(results, stdout);
        }
        return results.Select(ExitCodeOf).DefaultIfEmpty(ExitCodes.Usage).Max();
    }

    /// <summary>Prints a file's transcript as soon as it ran, so a long list shows progress; errors go to stderr.</summary>
    public static void Report(ScenarioResult result, TextWriter? transcript, TextWriter stderr)
    {
        foreach (var error in result.Errors)
        {
            stderr.WriteLine(error);
        }
        if (result.Ran && transcript is not null)
        {
            TextTranscript.Write(result, transcript);
        }
    }

    public static int ExitCodeOf(ScenarioResult result) =>
        !result.Ran ? ExitCodes.Usage
        : result.Failed > 0 ? ExitCodes.Failed
        : ExitCodes.Success;

    /// <summary>A directory stands for its <c>*.flt</c> files; anything else is taken as a file (and may fail to read).</summary>
    private static IEnumerable<ScenarioResult> RunOperand(string operand, FaultPath path, CancellationToken cancellation)
    {
        if (!Directory.Exists(operand))
        {
            yield return ScenarioFiles.Run(operand, path, cancellation);
            yield break;
        }
        var files = ScenarioFiles.InDirectory(operand);
        if (files.Count == 0)
        {
            yield return ScenarioResult.NotRun(operand, [$"{Workloads.Excerpt.Of(operand, Workloads.Excerpt.MaxPathLength)}: no *{ScenarioFiles.Extension} files in this directory"]);
        }
        foreach (var file in files)
        {
            yield return ScenarioFiles.Run(file, path, cancellation);
        }
    }
}
