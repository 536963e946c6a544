using System.Globalization;
using FaultLab.Workloads.Output;

namespace FaultLab.Benchmarks.Results;

/// <summary>The results of a run as a table: one row per workload × path (× job), floors beside the rows they bound.</summary>
public static class ResultTables
{
    public static Table For(IReadOnlyList<BenchResult> results)
    {
        bool jobs = results.Select(r => r.Job).Distinct().Count() > 1;
        bool families = results.Select(r => r.Family).Distinct().Count() > 1;
        var columns = new List<(string, bool)> { ("workload", false) };
        if (families)
            columns.Add(("family", false));
        columns.Add(("path", false));
        if (jobs)
            columns.Add(("job", false));
        columns.AddRange([
            ("ns/fault", true), ("ns/page", true), ("B/fault", true), ("× generic", true),
            ("floor", false), ("floor ns", true), ("× floor", true),
        ]);
        if (families)
            columns.Add(($"batch × {BenchResult.DefaultFamily}", true));
        columns.Add(("noise", true));
        var table = new Table([.. columns]);
        foreach (var r in results)
        {
            var cells = new List<string> { r.Workload };
            if (families)
                cells.Add(r.Family);
            cells.Add(r.Path);
            if (jobs)
                cells.Add(r.Job);
            cells.AddRange([
                Ns(r.NsPerFault), Ns(r.NsPerPage), Bytes(r.BytesPerFault), Ratio(r.RatioToGeneric),
                r.Floor ?? "", r.FloorNs is { } f ? Ns(f) : "", r.RatioToFloor is { } rf ? Ratio(rf) : "",
            ]);
            if (families)
                cells.Add(r.RatioToDefaultFamily is { } rd ? Ratio(rd) : "");
            cells.Add(Percent(r.Noise));
            table.Add([.. cells]);
        }
        return table;
    }

    /// <summary>The same rows as raw invariant numbers, for programs (results.csv): ns and bytes as measured,
    /// noise as a fraction, one column per field (every job's rows, the job in its own column).</summary>
    public static Table Raw(IReadOnlyList<BenchResult> results)
    {
        var table = new Table(("workload", false), ("family", false), ("path", false), ("job", false), ("ns_per_fault", true), ("ns_per_page", true),
            ("bytes_per_fault", true), ("ratio_to_generic", true), ("floor", false), ("floor_ns", true), ("ratio_to_floor", true),
            ("batch_ratio_to_default_family", true), ("noise", true), ("faults_per_batch", true), ("samples", true));
        static string D(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
        foreach (var r in results)
            table.Add(r.Workload, r.Family, r.Path, r.Job, D(r.NsPerFault), D(r.NsPerPage), D(r.BytesPerFault), D(r.RatioToGeneric),
                r.Floor ?? "", D(r.FloorNs), D(r.RatioToFloor), D(r.RatioToDefaultFamily), D(r.Noise), D(r.FaultsPerBatch), D(r.Samples));
        return table;
    }

    public static string Ns(double ns) => ns.ToString(ns >= 1000 ? "F0" : "F1", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) => ratio.ToString("F3", CultureInfo.InvariantCulture);

    public static string Bytes(double bytes) => bytes == 0 ? "0" : bytes.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => "±" + (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
