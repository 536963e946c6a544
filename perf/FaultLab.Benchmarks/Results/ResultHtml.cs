using System.Net;
using System.Text;
using FaultLab.Workloads.Output;

namespace FaultLab.Benchmarks.Results;

/// <summary>
/// results.html: one self-contained page of a result set (its tables from the one table writer, its plots inlined
/// as SVG), to open in a browser or attach to a CI run.
/// </summary>
public static class ResultHtml
{
    public static string Report(string name, BenchReport report)
    {
        var rows = report.Results;
        var goals = new Table(("goal", false), ("measured", false), ("verdict", false));
        foreach (var goal in Goals.Evaluate(rows))
            goals.Add(goal.Goal, goal.Measured, goal.Verdict);
        var one = ResultPlots.OneJob(rows);
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{E(name)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
            th { background: #f3f3f3; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1em 0; }
            </style>
            </head>
            <body>
            <h1>{{E(name)}}</h1>
            <p><code>{{E(report.Mode)}}</code> run on {{E(report.Machine.Summary)}}{{(report.Command is null ? "" : $": <code>{E(report.Command)}</code>")}}</p>

            """);
        if (report.Note is not null)
            html.Append($"<p><strong>Note:</strong> {E(report.Note)}</p>\n");
        if (report.Method is not null)
            html.Append($"<p>Method: {E(report.Method)}.</p>\n");
        html.Append("<h2>Figures</h2>\n");
        html.Append(ResultTables.For(rows).ToHtml());
        html.Append("<h2>Plots</h2>\n");
        html.Append("<figure>").Append(ResultPlots.NsPerFaultPlot(one).GetSvgXml(ResultPlots.Width, ResultPlots.Height)).Append("</figure>\n");
        html.Append("<figure>").Append(ResultPlots.RatioPlot(one).GetSvgXml(ResultPlots.Width, ResultPlots.Height)).Append("</figure>\n");
        html.Append("<h2>Goals</h2>\n");
        html.Append(goals.ToHtml());
        if (report.Kernel is { } kernel)
        {
            html.Append("<h2>This machine's kernel</h2>\n");
            html.Append(KernelTable.For(kernel, rows).ToHtml());
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
