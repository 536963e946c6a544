using System.Globalization;
using FaultLab.Profiling.Model;

namespace FaultLab.Profiling.Parsing;

/// <summary>How trustworthy a profile is: the figures the quality line prints.</summary>
/// <param name="Samples">Samples in the profile.</param>
/// <param name="Frames">Frames in those samples (before folding runtime frames), counted per sample.</param>
/// <param name="UnresolvedFrames">Of those, frames the trace had no managed name for.</param>
/// <param name="TruncatedStacks">Samples whose stack reached the runtime's cap: their outermost frames are missing.</param>
/// <param name="LostEvents">Events the runtime dropped (TraceLog's EventsLost).</param>
/// <param name="Threads">Threads the samples came from.</param>
public sealed record ProfileQuality(long Samples, long Frames, long UnresolvedFrames, long TruncatedStacks, long LostEvents, int Threads)
{
    /// <summary>Above this share of unresolved frames the graph is mostly question marks: warn.</summary>
    public const double UnresolvedWarningShare = 0.10;

    public double UnresolvedShare => Frames == 0 ? 0 : (double)UnresolvedFrames / Frames;

    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"{Samples} samples, {100 * UnresolvedShare:0.0}% unresolved frames, {TruncatedStacks} truncated stacks " +
        $"(at the {ProfileBuilder.StackCap}-frame cap), {LostEvents} lost events");

    /// <summary>What the reader should know before trusting the graph, or null.</summary>
    public string? Warning =>
        UnresolvedShare > UnresolvedWarningShare
            ? string.Create(CultureInfo.InvariantCulture,
                $"{100 * UnresolvedShare:0.0}% of the frames have no managed name (was the rundown lost? is the code native?)")
            : LostEvents > 0 ? $"the runtime lost {LostEvents} events: some samples are missing"
            : TruncatedStacks > 0 ? $"{TruncatedStacks} stacks were cut at {ProfileBuilder.StackCap} frames: their outermost callers are missing"
            : null;
}

/// <summary>The profile of a trace and how good it is.</summary>
/// <param name="Timeline">Every kept sample's folded stack (root first), in the order the samples were taken.</param>
public sealed record BuiltProfile(StackProfile Profile, ProfileQuality Quality, IReadOnlyList<IReadOnlyList<string>>? Timeline = null);

/// <summary>
/// Turns a trace's samples into a profile. The sample profiler samples every thread, so most samples are of threads
/// waiting (or of the runtime's own threads): only samples of threads running managed code count. Given a loop
/// method (for the lab's recordings: the workload host's batch loop, <see cref="LoopMethod"/>), only the samples
/// taken inside it count, which leaves out start-up, set-up and warm-up, and stacks start at the loop frame (the
/// launcher's frames above it say nothing). Without one (a trace of some other program), the thread with the most
/// managed samples is kept, whole. Either way pseudo frames are dropped and runtime safepoint frames folded into
/// their callers (<see cref="FrameFolding"/>).
/// </summary>
public static class ProfileBuilder
{
    /// <summary>EventPipe walks at most this many frames of a stack; a stack this deep was cut.</summary>
    public const int StackCap = 100;

    /// <summary>The pseudo root of a stack cut at the cap, whose outer frames (and so its loop frame) are missing.</summary>
    public const string TruncatedRoot = "[truncated stack]";

    /// <param name="loopMethod">The method (full name, no signature) every sample of interest passes through, or null.</param>
    public static BuiltProfile Build(RawTrace trace, string? loopMethod, bool trimAboveLoop = true)
    {
        var managed = trace.Samples.Where(s => s.Managed && s.Frames.Count > 0).ToList();
        int LoopIndex(RawSample sample)
        {
            for (var i = 0; loopMethod is not null && i < sample.Frames.Count; i++)
            {
                if (sample.Frames[i].Method == loopMethod)
                {
                    return i;
                }
            }
            return -1;
        }

        var loopThreads = managed.Where(s => LoopIndex(s) >= 0).Select(s => s.ThreadId).ToHashSet();
        var byLoop = loopMethod is not null;
        var candidates = byLoop
            ? managed.Where(s => loopThreads.Contains(s.ThreadId))
            : managed.GroupBy(s => s.ThreadId)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .FirstOrDefault()?.AsEnumerable() ?? [];

        var stacks = new List<(IReadOnlyList<string>, long)>();
        long frames = 0, unresolved = 0, truncated = 0;
        var threads = new HashSet<int>();
        foreach (var sample in candidates)
        {
            var cut = sample.Frames.Count >= StackCap;
            var loop = byLoop ? LoopIndex(sample) : -1;
            if (byLoop && loop < 0 && !cut)
            {
                continue; // start-up, set-up, warm-up or shutdown
            }
            var kept = trimAboveLoop && loop > 0 ? sample.Frames.Skip(loop).ToList() : sample.Frames;
            foreach (var frame in kept)
            {
                if (FrameFolding.Classify(frame) != FrameKind.Pseudo)
                {
                    frames++;
                    unresolved += frame.IsResolved ? 0 : 1;
                }
            }
            var folded = FrameFolding.Fold(kept);
            if (cut)
            {
                truncated++;
                if (loop < 0)
                {
                    folded.Insert(0, TruncatedRoot);
                }
            }
            if (folded.Count == 0)
            {
                folded.Add("[runtime]");
            }
            stacks.Add((folded, 1));
            threads.Add(sample.ThreadId);
        }

        return new BuiltProfile(
            StackProfile.From(stacks),
            new ProfileQuality(stacks.Count, frames, unresolved, truncated, trace.EventsLost, threads.Count),
            [.. stacks.Select(s => (IReadOnlyList<string>)[.. s.Item1.Select(FrameNames.Sanitize)])]);
    }
}
