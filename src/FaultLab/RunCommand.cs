using FaultLab.Core;
using FaultLab.Workloads.Checking;
using FaultLab.Workloads.Scenarios;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab run</c>: the lab's self-check. Every example scenario shipped beside the tool, then a short fuzz,
/// both on the chosen fault path, then one summary table that says which path that was.
/// </summary>
internal static class RunCommand
{
    /// <summary>Where the build copies the repository's <c>scenarios/*.flt</c> (content items of this project).</summary>
    public static string ShippedScenarios => Path.Combine(AppContext.BaseDirectory, "scenarios");

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = new Arguments("run", args);
        var directory = ShippedScenarios;
        var seconds = 10L;
        var seed = 1UL;
        var path = FaultPath.Specialized;
        while (arguments.NextOption())
        {
            switch (arguments.Current)
            {
                case "-h" or "--help":
                    stdout.WriteLine(HelpText.Run);
                    return ExitCodes.Success;
                case "--scenarios":
                    directory = arguments.Value();
                    break;
                case "--seconds":
                    seconds = arguments.Integer(0, 24 * 3600);
                    break;
                case "--seed":
                    seed = (ulong)arguments.Integer(0, long.MaxValue);
                    break;
                case "--path":
                    path = FaultPaths.Parse(arguments);
                    break;
                default:
                    throw arguments.Unknown();
            }
        }
        if (arguments.Operands.Count > 0)
        {
            throw arguments.Error($"unexpected argument '{arguments.Operands[0]}'");
        }
        if (!Directory.Exists(directory))
        {
            stderr.WriteLine($"faultlab: no scenarios directory at '{directory}'");
            return ExitCodes.Usage;
        }

        var scenarios = ScenarioFiles.InDirectory(directory).Select(f => RunScenario(f, path, stdout, stderr)).ToList();
        var fuzz = seconds > 0
            ? ModelChecker.Run(new CheckerOptions { Seed = seed, Duration = TimeSpan.FromSeconds(seconds), Path = path })
            : null;
        if (fuzz?.Failure is { } failure)
        {
            ReportViolation(failure, stdout);
        }

        var passed = scenarios.Count(r => r.Passed);
        WriteSummary(stdout, path, passed, scenarios.Count - passed, fuzz, seed, seconds);
        return passed == scenarios.Count && fuzz?.Failure is null ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>Each file gets its summary line; only failures are spelled out (the full transcript is
    /// <c>faultlab scenario</c>'s job).</summary>
    private static ScenarioResult RunScenario(string file, FaultPath path, TextWriter stdout, TextWriter stderr)
    {
        var result = ScenarioFiles.Run(file, path);
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

    private static void ReportViolation(CheckFailure failure, TextWriter stdout)
    {
        stdout.WriteLine($"fuzz: violation (seed {failure.Seed}): {failure.Violation}");
        stdout.WriteLine("fuzz: shrunk operations:");
        foreach (var operation in failure.ShrunkOperations)
        {
            stdout.WriteLine($"  {operation}");
        }
    }

    private static void WriteSummary(TextWriter stdout, FaultPath path, int passed, int failed, CheckResult? fuzz,
        ulong seed, long seconds)
    {
        var fuzzLine = fuzz is null
            ? "skipped (--seconds 0)"
            : $"{fuzz.Runs} runs, {fuzz.Operations} operations, {(fuzz.Failure is null ? 0 : 1)} violations (seed {seed}, {seconds} s)";
        stdout.WriteLine();
        stdout.WriteLine("check      result");
        stdout.WriteLine("---------  ------");
        stdout.WriteLine($"path       {FaultPaths.NameOf(path)}");
        stdout.WriteLine($"scenarios  {passed} passed, {failed} failed");
        stdout.WriteLine($"fuzz       {fuzzLine}");
    }
}
