using System.Globalization;

namespace FaultLab.Benchmarks.Results;

/// <summary>One goal the figures are held to, and whether this run met it. Reported, never asserted in a test.</summary>
public sealed record GoalCheck(string Goal, string Measured, bool? Met)
{
    public string Verdict => Met switch { true => "met", false => "not met", null => "not measured" };
}

/// <summary>
/// The goals of issue #4: no GC allocation on any path; the Roslyn-specialized path at most 0.67 × the generic one
/// on the center-page path (soft-refault) and no slower than the JIT-monomorphized one; zero-fill and
/// copy-on-write faults within 1.5 × the cost of zeroing or copying the page itself. Each is judged on the rows of
/// one job (the default job when there is one).
/// </summary>
public static class Goals
{
    public const double SpecializedOverGeneric = 0.67;
    public const double OverFloor = 1.5;

    /// <summary>How the workload of a scenario file is named (<c>scenario:NAME</c>).</summary>
    public const string ScenarioPrefix = FaultLab.Workloads.BuiltIn.ScenarioWorkload.NamePrefix;

    public static IReadOnlyList<GoalCheck> Evaluate(IReadOnlyList<BenchResult> all)
    {
        var job = all.Any(r => r.Job == BenchJobs.Default) ? BenchJobs.Default : all.FirstOrDefault()?.Job;
        // The goals are the default family's (NetBSD's specialization and floors).
        var rows = all.Where(r => r.Job == job && r.Family == BenchResult.DefaultFamily).ToList();
        BenchResult? Row(string workload, string path) => rows.FirstOrDefault(r => r.Workload == workload && r.Path == path);

        var checks = new List<GoalCheck>();

        // A scenario file's batch runs through the scenario interpreter, which allocates its results: the goal is the
        // built-in workloads' (allocation-free batches by contract).
        var builtIn = all.Where(r => r.Job == job && !r.Workload.StartsWith(ScenarioPrefix, StringComparison.Ordinal)).ToList();
        var worst = builtIn.MaxBy(r => r.BytesPerFault);
        checks.Add(new("0 B per fault on every built-in workload and path",
            worst is null ? "no rows" : worst.BytesPerFault == 0 ? $"0 B on all {builtIn.Count} rows" : $"{worst.BytesPerFault.ToString("0.###", CultureInfo.InvariantCulture)} B/fault on {worst.Workload} {worst.Family} {worst.Path}",
            worst is null ? null : worst.BytesPerFault == 0));

        var spec = Row("soft-refault", "specialized");
        var mono = Row("soft-refault", "monomorphized");
        checks.Add(new($"soft-refault: specialized ≤ {G(SpecializedOverGeneric)} × generic",
            spec is null ? "not run" : $"{R(spec.RatioToGeneric)} × generic (noise ±{P(spec.Noise)})",
            spec is null ? null : spec.RatioToGeneric <= SpecializedOverGeneric));

        if (spec is null || mono is null)
        {
            checks.Add(new("soft-refault: specialized no slower than monomorphized", "not run", null));
        }
        else
        {
            var ratio = spec.RatioToGeneric / mono.RatioToGeneric;
            var noise = Math.Max(spec.Noise, mono.Noise);
            checks.Add(new("soft-refault: specialized no slower than monomorphized",
                $"{R(ratio)} × monomorphized{(ratio > 1 && ratio <= 1 + noise ? $" (within noise ±{P(noise)})" : "")}",
                ratio <= 1));
        }

        foreach (var workload in new[] { "anon-zfod", "fork-cow" })
        {
            var row = Row(workload, "specialized");
            checks.Add(new($"{workload}: specialized within {G(OverFloor)} × the data floor",
                row?.RatioToFloor is not { } r ? "not run" : $"{R(r)} × {row.Floor} ({F(row.NsPerFault)} ns vs {F(row.FloorNs ?? 0)} ns)",
                row?.RatioToFloor is { } ratio ? ratio <= OverFloor : null));
        }
        return checks;
    }

    private static string F(double value) => value.ToString(value >= 100 ? "F0" : "0.0", CultureInfo.InvariantCulture);

    private static string G(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string R(double ratio) => ratio.ToString("0.000", CultureInfo.InvariantCulture);

    private static string P(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
