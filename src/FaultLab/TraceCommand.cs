using System.Diagnostics.Tracing;
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
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Interrupt interrupt)
    {
        var arguments = new Arguments("trace", args);
        string? workload = null;
        var path = FaultPath.Specialized;
        long seconds = 3;
        while (arguments.NextOption())
        {
            switch (arguments.Current)
            {
                case "--workload":
                    workload = arguments.Value();
                    break;
                case "--path":
                    path = PathOption.Parse(arguments);
                    break;
                case "--seconds":
                    seconds = arguments.Integer(1, 600);
                    break;
                case "-h" or "--help":
                    stdout.WriteLine(HelpText.Trace);
                    return ExitCodes.Success;
                default:
                    throw arguments.Unknown();
            }
        }
        workload = WorkloadArgument.Require(arguments, workload, "give --workload NAME");

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
            stdout.Write(report.ToTable());
            stdout.WriteLine("Times include the cost of writing the events; compare shares, not absolute times, with the benchmarks.");
            return ExitCodes.Success;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
