using ScottPlot;

namespace FaultLab.Benchmarks.Results;

/// <summary>
/// The plots of a result set and of a comparison, drawn with ScottPlot (SkiaSharp underneath; on Linux its
/// NoDependencies native assets, so no fontconfig or X server is needed) and written as SVG and PNG:
/// ns per fault per workload × path with the data floors as marks, the ratios to the generic path as bars with
/// the goal and 1.0 as lines, and for compare each figure's old and new value side by side. Plots show one job
/// (the default one when there are several), as the goals do.
/// </summary>
public static class ResultPlots
{
    public const string NsPerFault = "ns-per-fault";
    public const string RatioToGeneric = "ratio-to-generic";
    public const string Compare = "compare";

    public const int Width = 900;
    public const int Height = 480;

    /// <summary>The names (without extension) of the plots <see cref="WriteResultSet"/> writes.</summary>
    public static readonly string[] ResultSetPlots = [NsPerFault, RatioToGeneric];

    private static readonly string[] Paths = ["generic", "specialized", "monomorphized"];

    private static readonly Color[] PathColors = [Color.FromHex("#8c8c8c"), Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e")];

    /// <summary>Writes NAME.svg and NAME.png of every result-set plot into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> WriteResultSet(string directory, BenchReport report)
    {
        var rows = OneJob(report.Results);
        Save(NsPerFaultPlot(rows), directory, NsPerFault);
        Save(RatioPlot(rows), directory, RatioToGeneric);
        return [.. ResultSetPlots.SelectMany(p => new[] { p + ".svg", p + ".png" })];
    }

    /// <summary>Writes compare.svg and compare.png: each compared figure's old and new value side by side.</summary>
    public static IReadOnlyList<string> WriteComparison(string directory, IReadOnlyList<ComparedRow> rows, string unit)
    {
        Save(ComparePlot(rows, unit), directory, Compare);
        return [Compare + ".svg", Compare + ".png"];
    }

    /// <summary>A plot's group: the workload, and another family's rows as a group of their own.</summary>
    private static string Group(BenchResult r) => r.Family == BenchResult.DefaultFamily ? r.Workload : $"{r.Workload} ({r.Family})";

    public static IReadOnlyList<BenchResult> OneJob(IReadOnlyList<BenchResult> results)
    {
        var job = results.Any(r => r.Job == BenchJobs.Default) ? BenchJobs.Default : results.FirstOrDefault()?.Job;
        return [.. results.Where(r => r.Job == job)];
    }

    /// <summary>Grouped bars: a group per workload, a bar per path, the data floor as a black line across the group.</summary>
    public static Plot NsPerFaultPlot(IReadOnlyList<BenchResult> rows)
    {
        var plot = NewPlot("ns per fault (lower is better); black line: the data floor (zero or copy one page)", "ns/fault");
        var workloads = rows.Select(Group).Distinct().ToList();
        var bars = new List<Bar>();
        var floors = new List<(int Workload, double Ns)>();
        for (var w = 0; w < workloads.Count; w++)
        {
            for (var p = 0; p < Paths.Length; p++)
            {
                if (rows.FirstOrDefault(r => Group(r) == workloads[w] && r.Path == Paths[p]) is not { } row)
                    continue;
                bars.Add(new Bar
                {
                    Position = Slot(w, p), Value = row.NsPerFault, FillColor = PathColors[p],
                    Error = row.NsPerFault * row.Noise / 2, Size = BarWidth,
                });
            }
            if (rows.FirstOrDefault(r => Group(r) == workloads[w] && r.FloorNs is not null) is { FloorNs: { } floor })
                floors.Add((w, floor));
        }
        plot.Add.Bars(bars);
        foreach (var (w, floor) in floors)
        {
            // Over the bars: the floor is the mark each bar of the group is read against.
            var line = plot.Add.Line(Slot(w, 0) - BarWidth / 2, floor, Slot(w, Paths.Length - 1) + BarWidth / 2, floor);
            line.Color = Colors.Black;
            line.LineWidth = 3;
        }
        Finish(plot, workloads, withLegend: true);
        return plot;
    }

    /// <summary>specialized and monomorphized over generic, per workload, with 1.0 and the soft-refault goal as lines.</summary>
    public static Plot RatioPlot(IReadOnlyList<BenchResult> rows)
    {
        var plot = NewPlot($"ratio to the generic path (lower is better); dashed: 1.0 and the goal {Goals.SpecializedOverGeneric}", "× generic");
        var workloads = rows.Select(Group).Distinct().ToList();
        var bars = new List<Bar>();
        for (var w = 0; w < workloads.Count; w++)
        {
            for (var p = 1; p < Paths.Length; p++)
            {
                if (rows.FirstOrDefault(r => Group(r) == workloads[w] && r.Path == Paths[p]) is not { } row)
                    continue;
                bars.Add(new Bar { Position = Slot(w, p), Value = row.RatioToGeneric, FillColor = PathColors[p], Size = BarWidth });
            }
        }
        plot.Add.Bars(bars);
        foreach (var (y, color) in new[] { (1.0, Colors.Black), (Goals.SpecializedOverGeneric, Colors.Green) })
        {
            var line = plot.Add.HorizontalLine(y);
            line.Color = color;
            line.LinePattern = LinePattern.Dashed;
        }
        Finish(plot, workloads, withLegend: true, firstPath: 1);
        return plot;
    }

    /// <summary>Old (grey) and new (blue, red where SLOWER) per compared figure.</summary>
    public static Plot ComparePlot(IReadOnlyList<ComparedRow> rows, string unit)
    {
        var compared = rows.Where(r => r.Old is not null && r.New is not null).ToList();
        var plot = NewPlot("old (grey) and new (blue; red: slower beyond the threshold)", unit);
        var bars = new List<Bar>();
        for (var i = 0; i < compared.Count; i++)
        {
            bars.Add(new Bar { Position = i * 3, Value = compared[i].Old!.Value, FillColor = PathColors[0] });
            bars.Add(new Bar
            {
                Position = i * 3 + 1, Value = compared[i].New!.Value,
                FillColor = compared[i].Change == Change.Slower ? Colors.Red : PathColors[1],
            });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. compared.Select((_, i) => i * 3 + 0.5)],
            [.. compared.Select(r => $"{r.Workload} {r.What}" + (r.Job == BenchJobs.Default ? "" : $" ({r.Job})"))]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 180;
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    private const double BarWidth = 0.8;

    private static double Slot(int workload, int path) => workload * (Paths.Length + 1) + path;

    private static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, size: 14);
        plot.YLabel(yLabel);
        return plot;
    }

    private static void Finish(Plot plot, List<string> workloads, bool withLegend, int firstPath = 0)
    {
        // A workload's label under the middle of its group of bars.
        var middle = (firstPath + Paths.Length - 1) / 2.0;
        plot.Axes.Bottom.SetTicks([.. workloads.Select((_, w) => Slot(w, 0) + middle)], [.. workloads]);
        plot.Axes.Margins(bottom: 0);
        if (withLegend)
        {
            for (var p = firstPath; p < Paths.Length; p++)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = Paths[p], FillColor = PathColors[p] });
            plot.Legend.Alignment = Alignment.UpperLeft;
            plot.ShowLegend();
        }
    }

    private static void Save(Plot plot, string directory, string name)
    {
        File.WriteAllText(Path.Combine(directory, name + ".svg"), plot.GetSvgXml(Width, Height));
        plot.SavePng(Path.Combine(directory, name + ".png"), Width, Height);
    }
}
