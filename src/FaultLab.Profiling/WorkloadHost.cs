using System.Diagnostics;
using System.Runtime.CompilerServices;
using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Profiling;

/// <summary>
/// The code a profiled child process runs: sets a workload up, then runs its batches until the time is up. The
/// batch loop is a method of its own that is never inlined, so that every sample of the workload's steady state
/// passes through one frame (<see cref="LoopMethod"/>) and the profile can be cut there.
/// </summary>
public static class WorkloadHost
{
    /// <summary>The full name of the batch loop as a trace names it.</summary>
    public const string LoopMethod = "FaultLab.Profiling.WorkloadHost.DriveBatches";

    /// <summary>Sets <paramref name="workload"/> up on <paramref name="path"/> and drives it for <paramref name="duration"/>;
    /// returns the number of batches run.</summary>
    public static long Run(Workload workload, FaultPath path, TimeSpan duration)
    {
        workload.Setup(path);
        Workloads.Metrics.ModelMeter.Observe(workload.Machine); // for dotnet-counters
        return DriveBatches(workload, duration);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long DriveBatches(Workload workload, TimeSpan duration)
    {
        const int BatchesPerClockRead = 16;
        var clock = Stopwatch.StartNew();
        long batches = 0;
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < BatchesPerClockRead; i++)
            {
                workload.RunBatch();
            }
            batches += BatchesPerClockRead;
        }
        return batches;
    }
}
