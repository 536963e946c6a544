using System.Text.RegularExpressions;

namespace FaultLab.Profiling.Parsing;

/// <summary>What a frame name stands for.</summary>
public enum FrameKind
{
    /// <summary>Code of the program: kept.</summary>
    Code,
    /// <summary>A label a stack source adds to say what the thread was doing (CPU_TIME, BLOCKED_TIME, Thread (42), ...),
    /// not code: dropped.</summary>
    Pseudo,
    /// <summary>A runtime helper a sample lands in because samples are taken at safe points (GC polls, patchpoints,
    /// stubs): folded into its caller, which is where the time belongs.</summary>
    Runtime,
}

/// <summary>
/// Cleans stacks before they are folded: drops pseudo frames and folds runtime polling, safepoint and stub frames
/// into their callers. Removing a frame from a stack attributes its samples to the frame below it.
/// </summary>
public static partial class FrameFolding
{
    private static readonly HashSet<string> PseudoNames = new(StringComparer.Ordinal)
    {
        "CPU_TIME", "UNMANAGED_CODE_TIME", "BLOCKED_TIME", "AWAIT_TIME", "UNKNOWN_ASYNC", "READIED_TIME",
        "BROKEN", "OTHER", "Threads", "Processes",
    };

    // Names of helpers a thread is in when the sampler catches it at a safe point, and of call stubs. Matched
    // against the method part of the name.
    private static readonly string[] RuntimeMarkers =
    [
        "JIT_PollGC", "PollGC", "GCPoll", "CORINFO_HELP_POLL_GC", "RhpGcPoll", "JIT_Patchpoint", "JIT_PartialCompilationPatchpoint",
        "OnHijackTripThread", "OnHijackWorker", "ThePreStub", "PreStubWorker", "StubPrecode", "FixupPrecode",
        "RedirectedHandledJITCase", "RedirectForThreadAbort", "ILStubClass.IL_STUB", "[Stub]",
    ];

    // Modules of the runtime itself: a frame there that the trace could not name is runtime code the sample
    // interrupted, not the program's.
    private static readonly string[] RuntimeModules = ["libcoreclr", "coreclr", "libclrjit", "clrjit", "libSystem.Native"];

    [GeneratedRegex(@"^(Thread \(\d+\)|Thread \d+|Process(32|64)? .*\(\d+\)|\[.*TIME\])$")]
    private static partial Regex PseudoPattern();

    public static FrameKind Classify(RawFrame frame)
    {
        var name = frame.Name;
        if (PseudoNames.Contains(name) || PseudoNames.Contains(frame.Method) || PseudoPattern().IsMatch(frame.Method))
        {
            return FrameKind.Pseudo;
        }
        foreach (var marker in RuntimeMarkers)
        {
            if (frame.Method.Contains(marker, StringComparison.Ordinal))
            {
                return FrameKind.Runtime;
            }
        }
        if (!frame.IsResolved && RuntimeModules.Any(m => frame.Module.Equals(m, StringComparison.OrdinalIgnoreCase)))
        {
            return FrameKind.Runtime;
        }
        return FrameKind.Code;
    }

    /// <summary>The names of the frames that stay, root first.</summary>
    public static List<string> Fold(IEnumerable<RawFrame> rootFirst) =>
        rootFirst.Where(f => Classify(f) == FrameKind.Code).Select(f => f.Name).ToList();
}
