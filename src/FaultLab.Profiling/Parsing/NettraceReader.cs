using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.EventPipe;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace FaultLab.Profiling.Parsing;

/// <summary>
/// Reads the sample profiler's thread samples out of a .nettrace with TraceEvent. TraceLog does the hard part: it
/// turns the raw addresses of each stack into methods using the JIT's method-load events and the rundown, and
/// counts the events the runtime lost. Names come out as <c>Module!Namespace.Type.Method</c>: the signature is
/// dropped (overloads share a frame, as in PerfView), and the module keeps the case of its file name, which TraceLog
/// lower-cases but the loader events still have.
/// </summary>
public static class NettraceReader
{
    public static RawTrace Read(string nettracePath)
    {
        var etlx = Path.Combine(Path.GetTempPath(), $"faultlab-{Environment.ProcessId}-{Guid.NewGuid():N}.etlx");
        try
        {
            TraceLog.CreateFromEventPipeDataFile(nettracePath, etlx, new TraceLogOptions { ConversionLog = TextWriter.Null });
            using var log = new TraceLog(etlx);
            var samples = new List<(int Thread, bool Managed, List<RawFrame> Frames)>();
            var frames = new Dictionary<CodeAddressIndex, RawFrame>();
            var modules = new ModuleNames();
            using var source = log.Events.GetSource();
            new SampleProfilerTraceEventParser(source).ThreadSample += data =>
                samples.Add((data.ThreadID, data.Type == ClrThreadSampleType.Managed, StackOf(data, frames)));
            source.Clr.LoaderModuleLoad += data => modules.Add(data.ModuleILPath);
            new ClrRundownTraceEventParser(source).LoaderModuleDCStop += data => modules.Add(data.ModuleILPath);
            source.Process();

            return new RawTrace(
                samples.Select(s => new RawSample(s.Thread, s.Managed,
                    s.Frames.Select(f => f with { Module = modules.Display(f.Module) }).ToArray())).ToList(),
                log.EventsLost);
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    private static List<RawFrame> StackOf(TraceEvent data, Dictionary<CodeAddressIndex, RawFrame> cache)
    {
        var frames = new List<RawFrame>();
        for (var call = data.CallStack(); call is not null; call = call.Caller)
        {
            var address = call.CodeAddress;
            if (!cache.TryGetValue(address.CodeAddressIndex, out var frame))
            {
                frame = new RawFrame(address.ModuleName ?? "", MethodNames.WithoutSignature(address.FullMethodName ?? ""));
                cache.Add(address.CodeAddressIndex, frame);
            }
            frames.Add(frame);
        }
        frames.Reverse();
        return frames;
    }
}

/// <summary>Method names as frames show them.</summary>
public static class MethodNames
{
    /// <summary><c>Ns.Type.Method(int32,class X)</c> becomes <c>Ns.Type.Method</c>.</summary>
    public static string WithoutSignature(string fullName)
    {
        var open = fullName.IndexOf('(');
        return open > 0 ? fullName[..open] : fullName;
    }
}

/// <summary>Maps the lower-cased module names TraceLog gives back to the file names the loader saw.</summary>
public sealed class ModuleNames
{
    private readonly Dictionary<string, string> display = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        var name = Path.GetFileNameWithoutExtension(path.Replace('\\', '/'));
        if (name.Length > 0)
        {
            display.TryAdd(name, name);
        }
    }

    public string Display(string module) => display.TryGetValue(module, out var name) ? name : module;
}
