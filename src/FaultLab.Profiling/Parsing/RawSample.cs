namespace FaultLab.Profiling.Parsing;

/// <summary>A frame as the trace resolved it: the module's name and the method's full name ("" when unresolved).</summary>
public readonly record struct RawFrame(string Module, string Method)
{
    public bool IsResolved => Method.Length > 0;

    /// <summary><c>Module!Namespace.Type.Method</c>, or <c>Module!?</c> (<c>?!?</c>) when the trace had no name for it.</summary>
    public string Name => IsResolved
        ? Module.Length > 0 ? $"{Module}!{Method}" : Method
        : $"{(Module.Length > 0 ? Module : "?")}!?";

    /// <summary>A frame from its name alone (<c>Module!Method</c>, <c>Module!?</c>, or a bare pseudo frame).</summary>
    public static RawFrame Named(string name)
    {
        var bang = name.IndexOf('!');
        var (module, method) = bang > 0 ? (name[..bang], name[(bang + 1)..]) : ("", name);
        return new RawFrame(module, method == "?" ? "" : method);
    }
}

/// <summary>One stack sample of one thread, root first. <paramref name="Managed"/>: the thread was running managed
/// code (the sample profiler's "Managed" type) rather than waiting or running native code ("External").</summary>
public sealed record RawSample(int ThreadId, bool Managed, IReadOnlyList<RawFrame> Frames)
{
    public static RawSample Of(int threadId, bool managed, params string[] rootFirst) =>
        new(threadId, managed, rootFirst.Select(RawFrame.Named).ToArray());
}

/// <summary>What a trace file held: every thread sample, and how many events the runtime lost.</summary>
public sealed record RawTrace(IReadOnlyList<RawSample> Samples, long EventsLost);
