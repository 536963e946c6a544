namespace FaultLab.Benchmarks.Results;

/// <summary>How a figure moved between two runs.</summary>
public enum Change
{
    /// <summary>Within the noise of either run (or the 5% floor).</summary>
    Same,
    Faster,
    Slower,
    /// <summary>The row is in the old run only.</summary>
    Removed,
    /// <summary>The row is in the new run only.</summary>
    Added,
}

/// <summary>One figure of two runs: a workload × path × job's time per fault, or a data floor's time per page.</summary>
public sealed record ComparedRow(string Workload, string What, string Job, double? Old, double? New, double Threshold, Change Change)
{
    /// <summary>NEW / OLD.</summary>
    public double? Ratio => Old is > 0 && New is { } n ? n / Old : null;
}

/// <summary>
/// <c>faultlab compare</c>: matches the rows of two runs and flags the figures that moved by more than the larger
/// of the two runs' noise, and never for less than <see cref="MinimumChange"/>.
/// </summary>
public static class Comparison
{
    public const double MinimumChange = 0.05;

    public static IReadOnlyList<ComparedRow> Compare(BenchReport old, BenchReport @new)
    {
        var before = Figures(old);
        var after = Figures(@new);
        var rows = new List<ComparedRow>();
        foreach (var (key, a) in before)
        {
            if (!after.TryGetValue(key, out var b))
            {
                rows.Add(new(key.Workload, key.What, key.Job, a.Ns, null, 0, Change.Removed));
                continue;
            }
            var threshold = Math.Max(MinimumChange, Math.Max(a.Noise, b.Noise));
            var ratio = b.Ns / a.Ns;
            var change = ratio > 1 + threshold ? Change.Slower : ratio < 1 - threshold ? Change.Faster : Change.Same;
            rows.Add(new(key.Workload, key.What, key.Job, a.Ns, b.Ns, threshold, change));
        }
        foreach (var (key, b) in after)
        {
            if (!before.ContainsKey(key))
                rows.Add(new(key.Workload, key.What, key.Job, null, b.Ns, 0, Change.Added));
        }
        return rows;
    }

    private readonly record struct Key(string Workload, string What, string Job);

    /// <summary>Every figure of a run, in its order: the rows, then each workload's floor once per job.</summary>
    private static Dictionary<Key, (double Ns, double Noise)> Figures(BenchReport report)
    {
        var figures = new Dictionary<Key, (double, double)>();
        foreach (var r in report.Results)
        {
            figures.TryAdd(new Key(r.Workload, r.Path, r.Job), (r.NsPerFault, r.Noise));
            if (r is { Floor: { } floor, FloorNs: { } ns })
                figures.TryAdd(new Key(r.Workload, floor, r.Job), (ns, r.FloorNoise ?? 0));
        }
        return figures;
    }
}
