using System.CommandLine;
using FaultLab.Cli.CommandLine;
using FaultLab.Core;
using FaultLab.Workloads.Scenarios;

namespace FaultLab.Cli;

/// <summary><c>faultlab scenario FILE|DIR... [--path PATH] [--json] [--output FILE]</c>.</summary>
internal static class ScenarioCommand
{
    public static Command Create(CliContext context)
    {
        var files = CliOptions.Files("FILE|DIR", "scenario files (.flt), or directories standing for their *.flt files, sorted by name");
        var path = CliOptions.Path();
        var json = CliOptions.Json();
        var output = CliOptions.Output();
        var command = new Verb("scenario", "run scenario files (.flt) and print their transcripts", """
            Runs each scenario file on a fresh simulated machine and prints its transcript: one line per statement,
            `LINE: STATEMENT => OUTCOME`, each failed expectation right after it as `FILE:LINE: expected ..., got ...`,
            and a summary `FILE: N statements, M failed`. A file with parse errors (`FILE:LINE:COL: message`, on
            stderr) does not run at all; the others still do. With --json the transcripts are one JSON array.
            The language: docs/scenarios.md.

            Exit status: 0 every expectation held; 1 some did not; 2 a file could not be read or parsed.
            """)
        {
            files, path, json, output,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, path.Of(parse),
            Printed.Open(parse, json, output, context), context.Stderr, context.Interrupt));
        return command;
    }

    public static int Run(string[] operands, FaultPath path, Printed printed, TextWriter stderr, Interrupt interrupt)
    {
        var json = printed.Json;
        var stdout = printed.Main;
        var results = new List<ScenarioResult>();
        try
        {
            foreach (var operand in operands)
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
        printed.Finish("scenario");
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
