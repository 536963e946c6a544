using FaultLab.Workloads.Output;

namespace FaultLab.Benchmarks.Results;

/// <summary>How a figure moved between two runs.</summary>
public enum Change
{
    /// <summary>Within the threshold (the noise of either run, or the minimum change).</summary>
    Same,
    Faster,
    Slower,
    /// <summary>The row is in the old run only.</summary>
    Removed,
    /// <summary>The row is in the new run only.</summary>
    Added,
}

/// <summary>What <c>faultlab compare</c> compares: times, or the ratios to the baselines of the same run.</summary>
public enum CompareMode
{
    /// <summary>ns per fault of every workload × path × job, and each data floor's ns per page.</summary>
    Times,
    /// <summary>The × generic and × floor ratios of every row: each is measured against a baseline of the same run,
    /// so it survives a change of machine load (or machine) that moves every time alike.</summary>
    Ratios,
}

/// <summary>One figure of two runs: a time (ns per fault, a floor's ns per page) or a ratio to a baseline.</summary>
/// <param name="Gated">Whether a slowdown of this figure is a regression (a data floor is a baseline, not the code).</param>
public sealed record ComparedRow(string Workload, string What, string Job, double? Old, double? New, double Threshold, Change Change,
    bool Gated = true)
{
    /// <summary>NEW / OLD.</summary>
    public double? Ratio => Old is > 0 && New is { } n ? n / Old : null;

    /// <summary>A slowdown beyond the threshold of a figure that counts: what makes compare exit 1.</summary>
    public bool Regressed => Gated && Change == Change.Slower;
}

/// <summary>
/// <c>faultlab compare</c>: matches the figures of two runs and flags those that moved by more than the larger of
/// the two runs' noise and the minimum change (<see cref="DefaultThreshold"/> unless told otherwise).
/// </summary>
public static class Comparison
{
    public const double DefaultThreshold = 0.05;

    public static IReadOnlyList<ComparedRow> Compare(BenchReport old, BenchReport @new, double minimumChange = DefaultThreshold,
        CompareMode mode = CompareMode.Times)
    {
        var before = Figures(old, mode);
        var after = Figures(@new, mode);
        var rows = new List<ComparedRow>();
        foreach (var (key, a) in before)
        {
            if (!after.TryGetValue(key, out var b))
            {
                rows.Add(new(key.Workload, key.What, key.Job, a.Value, null, 0, Change.Removed, a.Gated));
                continue;
            }
            var threshold = Math.Max(minimumChange, Math.Max(a.Noise, b.Noise));
            var ratio = b.Value / a.Value;
            var change = ratio > 1 + threshold ? Change.Slower : ratio < 1 - threshold ? Change.Faster : Change.Same;
            rows.Add(new(key.Workload, key.What, key.Job, a.Value, b.Value, threshold, change, a.Gated));
        }
        foreach (var (key, b) in after)
        {
            if (!before.ContainsKey(key))
                rows.Add(new(key.Workload, key.What, key.Job, null, b.Value, 0, Change.Added, b.Gated));
        }
        return rows;
    }

    /// <summary>The comparison as a table (text, markdown or CSV), its figures formatted as the bench tables'.</summary>
    public static Table Table(IReadOnlyList<ComparedRow> rows, CompareMode mode)
    {
        var unit = mode == CompareMode.Ratios ? "" : " ns";
        var table = new Table(("workload", false), ("figure", false), ("job", false), ($"old{unit}", true), ($"new{unit}", true),
            ("new/old", true), ("threshold", true), ("change", false));
        foreach (var row in rows)
        {
            string Figure(double value) => mode == CompareMode.Ratios ? ResultTables.Ratio(value) : ResultTables.Ns(value);
            table.Add(row.Workload, row.What, row.Job,
                row.Old is { } o ? Figure(o) : "", row.New is { } n ? Figure(n) : "",
                row.Ratio is { } r ? ResultTables.Ratio(r) : "",
                row.Change is Change.Added or Change.Removed ? "" : ResultTables.Percent(row.Threshold),
                row.Change switch
                {
                    Change.Slower => "SLOWER",
                    Change.Faster => "FASTER",
                    Change.Added => "only in new",
                    Change.Removed => "only in old",
                    _ => "",
                });
        }
        return table;
    }

    private readonly record struct Key(string Workload, string What, string Job);

    /// <summary>The workload as comparisons name it: another family's rows under their own name.</summary>
    private static string Subject(BenchResult r) => r.Family == BenchResult.DefaultFamily ? r.Workload : $"{r.Workload} ({r.Family})";

    /// <summary>Every figure of a run, in its order.</summary>
    private static Dictionary<Key, (double Value, double Noise, bool Gated)> Figures(BenchReport report, CompareMode mode)
    {
        var figures = new Dictionary<Key, (double, double, bool)>();
        foreach (var r in report.Results)
        {
            if (mode == CompareMode.Times)
            {
                figures.TryAdd(new Key(Subject(r), r.Path, r.Job), (r.NsPerFault, r.Noise, true));
                if (r is { Floor: { } floor, FloorNs: { } ns })
                    figures.TryAdd(new Key(r.Workload, floor, r.Job), (ns, r.FloorNoise ?? 0, false));
                continue;
            }
            // A ratio is as noisy as the noisier of its two figures.
            var generic = report.Results.FirstOrDefault(g => g.Workload == r.Workload && g.Family == r.Family && g.Job == r.Job && g.Path == "generic");
            if (r.Path != "generic")
                figures.TryAdd(new Key(Subject(r), $"{r.Path} × generic", r.Job), (r.RatioToGeneric, Math.Max(r.Noise, generic?.Noise ?? 0), true));
            if (r.RatioToFloor is { } toFloor)
                figures.TryAdd(new Key(Subject(r), $"{r.Path} × floor", r.Job), (toFloor, Math.Max(r.Noise, r.FloorNoise ?? 0), true));
        }
        return figures;
    }
}
