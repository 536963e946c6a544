using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Profiling.Counting;

/// <summary>
/// The counted process's side of <see cref="InstructionCounter"/>: sets a workload up, runs its batches until the
/// JIT has compiled them at their final tier, says where its marker is, waits for the tracer, then runs
/// <c>marker; marker; batch; marker</c>. The marker is libc's <c>getppid</c>, which nothing else here calls: the
/// tracer counts from the first marker to the second (the cost of the markers themselves) and from the second to
/// the third (that plus one batch).
/// </summary>
public static class CountHost
{
    /// <summary>The line the host writes when it waits for the tracer.</summary>
    public const string ReadyPrefix = "count-host ready";

    /// <summary>The environment the counted process needs: JIT code named in a perf map, at one address.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_PerfMapEnabled"] = "1",
        ["DOTNET_EnableWriteXorExecute"] = "0",
    };

    public static unsafe int Run(Workload workload, FaultPath path, MachineFamily family, TimeSpan warmup, TextReader input, TextWriter output)
    {
        workload.Setup(path, family);
        // Warm: Tier0 → instrumented → Tier1 with PGO takes 30 calls and a background compile per method.
        var clock = Stopwatch.StartNew();
        for (int batches = 0; batches < 200 || clock.Elapsed < warmup; batches++)
            workload.RunBatch();
        nint marker = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getppid");
        var getppid = (delegate* unmanaged<int>)marker;
        getppid(); // the call's own code is compiled now, not while it is counted
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ReadyPrefix} pid={System.Environment.ProcessId} marker=0x{marker:x} faults={workload.FaultsPerBatch} pages={workload.PagesPerBatch}"));
        output.Flush();
        if (input.ReadLine() != "go")
            return 1;
        getppid();
        getppid();
        workload.RunBatch();
        getppid();
        output.WriteLine("count-host done");
        return 0;
    }
}
