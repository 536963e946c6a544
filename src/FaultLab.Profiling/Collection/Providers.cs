using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace FaultLab.Profiling.Collection;

/// <summary>The EventPipe providers of a CPU profile, and how further providers join them.</summary>
public static class Providers
{
    public const string SampleProfiler = "Microsoft-DotNETCore-SampleProfiler";
    public const string Runtime = "Microsoft-Windows-DotNETRuntime";

    /// <summary>
    /// The runtime events that name code: Jit (MethodLoadVerbose for every method compiled during the trace, at
    /// the Verbose level) and Loader (module and assembly loads, so addresses map to modules). Methods compiled
    /// before the session started are named by the rundown at its end. JittedMethodILToNativeMap is left out: it
    /// only serves source-line mapping, which needs symbol files this lab does not read.
    /// </summary>
    public const ClrTraceEventParser.Keywords RuntimeKeywords =
        ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader;

    /// <summary>The sample profiler (a stack of every thread about once a millisecond) and the runtime's naming events.</summary>
    public static IReadOnlyList<EventPipeProvider> CpuSampling { get; } =
    [
        new(SampleProfiler, EventLevel.Informational),
        new(Runtime, EventLevel.Verbose, (long)RuntimeKeywords),
    ];

    /// <summary>
    /// <paramref name="baseline"/> plus <paramref name="extra"/>; a provider named in both gets the union of the
    /// keywords, the more verbose level, and the extra one's arguments.
    /// </summary>
    public static IReadOnlyList<EventPipeProvider> Merge(IEnumerable<EventPipeProvider> baseline, IEnumerable<EventPipeProvider> extra)
    {
        var merged = new List<EventPipeProvider>(baseline);
        foreach (var provider in extra)
        {
            var i = merged.FindIndex(p => string.Equals(p.Name, provider.Name, StringComparison.Ordinal));
            if (i < 0)
            {
                merged.Add(provider);
                continue;
            }
            var seen = merged[i];
            merged[i] = new EventPipeProvider(
                provider.Name,
                (EventLevel)Math.Max((int)seen.EventLevel, (int)provider.EventLevel),
                seen.Keywords | provider.Keywords,
                provider.Arguments ?? seen.Arguments);
        }
        return merged;
    }
}
