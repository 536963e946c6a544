using System.Collections.Immutable;

namespace FaultLab.Profiling.Model;

/// <summary>One distinct call stack, root first, and the number of samples that landed on it.</summary>
public sealed record WeightedStack(ImmutableArray<string> Frames, long Count)
{
    /// <summary>The stack in folded form without its count: <c>root;...;leaf</c>.</summary>
    public string Key => string.Join(';', Frames);
}

/// <summary>
/// A sampled profile as every writer sees it: distinct stacks with sample counts. Identical stacks are merged,
/// empty stacks and zero counts dropped, frame names made safe for the folded format, and the stacks sorted by
/// their folded key (ordinal), so that two profiles with the same samples are equal in every output, byte for byte.
/// </summary>
public sealed class StackProfile
{
    private StackProfile(ImmutableArray<WeightedStack> stacks)
    {
        Stacks = stacks;
        TotalSamples = stacks.Sum(s => s.Count);
    }

    public static StackProfile Empty { get; } = new([]);

    /// <summary>The distinct stacks, sorted by <see cref="WeightedStack.Key"/> (ordinal).</summary>
    public ImmutableArray<WeightedStack> Stacks { get; }

    public long TotalSamples { get; }

    public static StackProfile From(IEnumerable<(IReadOnlyList<string> Frames, long Count)> samples)
    {
        var merged = new Dictionary<string, (ImmutableArray<string> Frames, long Count)>(StringComparer.Ordinal);
        foreach (var (frames, count) in samples)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            if (frames.Count == 0 || count == 0)
            {
                continue;
            }
            var clean = frames.Select(FrameNames.Sanitize).ToImmutableArray();
            var key = string.Join(';', clean);
            merged[key] = merged.TryGetValue(key, out var seen) ? (seen.Frames, seen.Count + count) : (clean, count);
        }
        return new StackProfile(merged
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new WeightedStack(pair.Value.Frames, pair.Value.Count))
            .ToImmutableArray());
    }

    public static StackProfile From(params (string Folded, long Count)[] stacks) =>
        From(stacks.Select(s => ((IReadOnlyList<string>)s.Folded.Split(';'), s.Count)));
}
