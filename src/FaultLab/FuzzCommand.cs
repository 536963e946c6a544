// PLACEHOLDER, replaced when the fuzz command is merged: just enough for `faultlab fuzz` to compile and run.
using FaultLab.Workloads.Checking;

namespace FaultLab.Cli;

internal static class FuzzCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Contains("--help"))
        {
            stdout.WriteLine("Usage: faultlab fuzz --seconds N [--seed S] [--steps K]");
            return 0;
        }
        var options = new CheckerOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options = args[i] switch
            {
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture)) },
                "--seed" => options with { Seed = ulong.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) },
                "--steps" => options with { StepsPerRun = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) },
                _ => options,
            };
        }
        var result = ModelChecker.Run(options);
        stdout.WriteLine($"{result.Runs} runs, {result.Operations} operations, {(result.Failure is null ? 0 : 1)} violations");
        return result.Failure is null ? 0 : 1;
    }
}
