using System.CommandLine;
using System.Diagnostics.Tracing;
using System.Text.Json;
using FaultLab.Cli.CommandLine;
using System.Globalization;
using FaultLab.Core;
using FaultLab.Profiling.Collection;
using FaultLab.Profiling.Stages;
using Microsoft.Diagnostics.NETCore.Client;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab trace --workload W [--path P] [--seconds N]</c>: records the fault-stage events (EventSource
/// FaultLab-Fault) of a workload running in a child process, through EventPipe, and prints per-stage counts and
/// time shares.
/// </summary>
internal static class TraceCommand
{
    public static Command Create(CliContext context)
    {
        var workload = CliOptions.Workload();
        var path = CliOptions.Path();
        var seconds = CliOptions.Seconds(3, "how long to record");
        var json = CliOptions.Json();
        var output = CliOptions.Output();
        var command = new Verb("trace", "record a workload's fault-stage events and print per-stage counts and time shares", """
            Runs a built-in workload in a child process with the fault-stage events of FaultCore enabled (EventSource
            FaultLab-Fault, through EventPipe), then prints how many times each stage of the fault path ran (check,
            upper-lookup, upper, lower-lookup, lower-io, promote, enter; "entry" is the map lookup and dispatch before
            the first stage) and its share of the faults' time.

            Exit status: 0; 1 the recording failed; 2 bad usage; 130, 143, 129 interrupted by SIGINT, SIGTERM, SIGHUP
            (the child is stopped, its trace and sockets removed).
            """)
        {
            workload, path, seconds, json, output,
        };
        command.SetAction(parse => Run(parse.GetValue(workload)!, path.Of(parse), parse.GetValue(seconds),
            Printed.Open(parse, json, output, context), context));
        return command;
    }

    private static int Run(string workload, FaultPath path, long seconds, Printed printed, CliContext context)
    {
        var (stdout, stderr, interrupt) = (printed.Human, context.Stderr, context.Interrupt);
        string pathName = FaultPathNames.NameOf(path);
        var scratch = Directory.CreateTempSubdirectory("faultlab-trace-").FullName;
        try
        {
            var duration = TimeSpan.FromSeconds(seconds);
            var options = new CollectionOptions
            {
                Child = FlameCommand.HostCommand(workload, pathName, duration + TimeSpan.FromSeconds(60)),
                TracePath = Path.Combine(scratch, "stages.nettrace"),
                Duration = duration,
                Providers = [new EventPipeProvider(StageTraceReader.Provider, EventLevel.Verbose)],
                RequestRundown = false,
            };
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trace: recording the fault stages of {workload} on the {pathName} path for {seconds} s"));
            stdout.Flush();
            interrupt.Kept = "the child was stopped, its trace and sockets removed; nothing was written";
            try
            {
                Task.Run(() => EventPipeCollector.CollectAsync(options, interrupt.Token)).GetAwaiter().GetResult();
            }
            catch (CollectionException e) when (!interrupt.Requested)
            {
                stderr.WriteLine($"faultlab: trace: {e.Message}");
                return ExitCodes.Failed;
            }
            var report = StageAnalysis.Analyze(StageTraceReader.Read(options.TracePath));
            if (report.Faults == 0)
            {
                stderr.WriteLine("faultlab: trace: the trace holds no complete fault (were the FaultLab-Fault events enabled?)");
                return ExitCodes.Failed;
            }
            if (printed.Json)
            {
                printed.Main.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            }
            else
            {
                printed.Main.Write(report.ToTable());
                printed.Main.WriteLine("Times include the cost of writing the events; compare shares, not absolute times, with the benchmarks.");
            }
            printed.Finish("trace");
            return ExitCodes.Success;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };
}
