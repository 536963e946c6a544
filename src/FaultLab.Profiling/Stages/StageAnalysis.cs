using System.Globalization;
using FaultLab.Workloads.Output;

namespace FaultLab.Profiling.Stages;

/// <summary>What a FaultLab-Fault event says: a fault began, a stage began, or the fault ended.</summary>
public enum StageEventKind
{
    FaultStart,
    Stage,
    FaultStop,
}

/// <summary>One FaultLab-Fault event: its thread, its time (ns from the start of the trace), and the stage it begins.</summary>
public readonly record struct StageEvent(int Thread, double TimeNs, StageEventKind Kind, int Stage = 0);

/// <summary>One row of a stage report: how often the stage ran and how long it lasted in all.</summary>
public sealed record StageRow(string Stage, long Count, double TotalNs, double Share)
{
    public double MeanNs => Count == 0 ? 0 : TotalNs / Count;
}

/// <summary>Per-stage counts and time shares of the faults of a trace.</summary>
public sealed record StageReport(long Faults, double FaultNs, IReadOnlyList<StageRow> Rows)
{
    /// <summary>The stages as a table (the lab's one table writer): count, time, share of the faults' time, mean.</summary>
    public Table Table()
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table("stage", "count", "time ms", "share", "ns/stage").AlignRight("count", "time ms", "share", "ns/stage");
        foreach (var r in Rows)
            table.Add(r.Stage, r.Count.ToString(c), (r.TotalNs / 1e6).ToString("0.000", c), r.Share.ToString("0.0", c) + "%",
                r.MeanNs.ToString("0", c));
        return table;
    }

    /// <summary>The report as text: a line of totals, then <see cref="Table"/>.</summary>
    public string ToTable() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Faults} faults, {FaultNs / Math.Max(1, Faults):0} ns per fault on average (with the events' own cost)\n") +
        Table().ToText();
}

/// <summary>
/// Turns the FaultLab-Fault events into stage times: on each thread, a stage lasts from its Stage event to the
/// next event of the fault (the next stage, or FaultStop); the time from FaultStart to the first stage (the
/// map lookup and the dispatch) is reported as "entry". Faults cut off by the start or end of the trace are left out.
/// </summary>
public static class StageAnalysis
{
    /// <summary>The stage names by number (FaultLab.Core.FaultStage).</summary>
    public static readonly string[] StageNames = ["entry", "check", "upper-lookup", "upper", "lower-lookup", "lower-io", "promote", "enter"];

    public static StageReport Analyze(IEnumerable<StageEvent> events)
    {
        var counts = new long[StageNames.Length];
        var times = new double[StageNames.Length];
        long faults = 0;
        double faultNs = 0;
        foreach (var thread in events.GroupBy(e => e.Thread))
        {
            var pendingCounts = new long[StageNames.Length];
            var pendingTimes = new double[StageNames.Length];
            double? start = null;
            int current = -1;
            double since = 0;
            foreach (var e in thread.OrderBy(e => e.TimeNs))
            {
                switch (e.Kind)
                {
                    case StageEventKind.FaultStart:
                        Array.Clear(pendingCounts);
                        Array.Clear(pendingTimes);
                        start = e.TimeNs;
                        current = 0;
                        since = e.TimeNs;
                        break;
                    case StageEventKind.Stage when start is not null && e.Stage > 0 && e.Stage < StageNames.Length:
                        pendingTimes[current] += e.TimeNs - since;
                        pendingCounts[e.Stage]++;
                        current = e.Stage;
                        since = e.TimeNs;
                        break;
                    case StageEventKind.FaultStop when start is not null:
                        pendingTimes[current] += e.TimeNs - since;
                        pendingCounts[0]++;
                        for (int i = 0; i < StageNames.Length; i++)
                        {
                            counts[i] += pendingCounts[i];
                            times[i] += pendingTimes[i];
                        }
                        faults++;
                        faultNs += e.TimeNs - start.Value;
                        start = null;
                        break;
                }
            }
        }
        double total = times.Sum();
        var rows = Enumerable.Range(0, StageNames.Length)
            .Where(i => counts[i] > 0)
            .Select(i => new StageRow(StageNames[i], counts[i], times[i], total > 0 ? 100 * times[i] / total : 0))
            .ToList();
        return new StageReport(faults, faultNs, rows);
    }
}
