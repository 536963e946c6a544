using System.CommandLine;
using System.Diagnostics;
using FaultLab.Cli.CommandLine;
using System.Globalization;
using FaultLab.Benchmarks.Quick;
using FaultLab.Benchmarks.Results;
using FaultLab.Core;
using FaultLab.Profiling.Collection;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab run</c>'s quick bench, in a child process of its own. <c>run</c> checks the model with its KASSERTs
/// on (the checked configuration, chosen once per process), and the benchmarks measure the model without them:
/// the child runs the quick bench with the checks off, its progress on standard error, and hands the report back
/// as JSON on standard output.
/// </summary>
internal static class QuickBenchChild
{
    /// <summary>The hidden verb of the child.</summary>
    public const string HostVerb = "quick-bench-host";

    /// <summary>Runs the quick bench in a child and returns its report (progress goes to <paramref name="stderr"/>).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired: the child was killed and its
    /// files removed.</exception>
    public static BenchReport Run(int rounds, string command, TextWriter stderr, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Cli).Assembly.Location);
        start.ArgumentList.Add(HostVerb);
        start.ArgumentList.Add(rounds.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(command);
        start.Environment[ModelChecks.EnvironmentVariable] = "0";
        start.Environment[RuntimeFiles.DisableDebugger.Key] = RuntimeFiles.DisableDebugger.Value;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet for the quick bench");
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
                lock (stderr)
                    stderr.WriteLine(line);
        };
        child.BeginErrorReadLine();
        var json = child.StandardOutput.ReadToEndAsync(CancellationToken.None);
        try
        {
            child.WaitForExitAsync(cancellation).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit(5000);
            RuntimeFiles.Remove(child.Id);
            throw;
        }
        child.WaitForExit(); // the last lines of standard error
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"the quick bench child failed (exit {child.ExitCode})");
        return ResultJson.Deserialize(json.Result, "the quick bench child");
    }

    /// <summary>The hidden verb of the child (not in the help).</summary>
    public static Command CreateHost(CliContext context)
    {
        var rounds = new Argument<int>("ROUNDS") { Description = "rounds of the quick bench" };
        rounds.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("ROUNDS must be at least 1"); });
        var line = new Argument<string>("COMMAND") { Description = "the command line recorded with the results" };
        var command = new Command(HostVerb, "the child of faultlab run: the quick bench without the checks") { rounds, line };
        command.Hidden = true;
        command.SetAction(parse => Host(parse.GetValue(rounds), parse.GetValue(line)!, context.Stdout, context.Stderr,
            context.Interrupt.Token));
        return command;
    }

    /// <summary>The child's side: <c>quick-bench-host ROUNDS COMMAND</c>.</summary>
    public static int Host(int rounds, string command, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (ModelChecks.Enabled)
            throw new InvalidOperationException("the quick bench must not run the checked configuration");
        var report = BenchCommand.RunQuick(new QuickOptions { Rounds = rounds }, command, stderr, cancellation);
        stdout.Write(ResultJson.Serialize(report));
        return ExitCodes.Success;
    }
}
