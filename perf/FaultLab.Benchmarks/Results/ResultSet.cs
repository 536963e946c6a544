using System.Globalization;
using System.Text;
using FaultLab.Workloads.Output;

namespace FaultLab.Benchmarks.Results;

/// <summary>
/// A result set: a directory <c>results/&lt;date&gt;-&lt;what&gt;/</c> holding <c>results.md</c> (the table, the plots
/// and the goals), <c>results.csv</c> (the figures as raw numbers), <c>results.html</c> (tables and plots in one
/// page), <c>results.json</c> (what <c>faultlab compare</c> reads), <c>environment.md</c> (the machine) and the
/// plots as SVG and PNG (<see cref="ResultPlots"/>). Sets are
/// written whole (into a temporary directory, then renamed: <see cref="OutputPath"/>) and never replace an existing
/// set unless that is asked for; a set written into a <c>results/</c> directory gets its row in the table of that
/// directory's <c>README.md</c> index. Runs write theirs under <see cref="OutputPath.ArtifactsDirectory"/> by
/// default: <c>results/</c> holds only the sets someone chose to commit.
/// </summary>
public static class ResultSet
{
    public const string JsonFile = "results.json";
    public const string MarkdownFile = "results.md";
    public const string CsvFile = "results.csv";
    public const string HtmlFile = "results.html";
    public const string EnvironmentFile = "environment.md";
    public const string IndexFile = "README.md";
    public const string ResultsDirectory = "results";

    /// <summary>The default set name of a run: <c>yyyy-MM-dd-what</c>.</summary>
    public static string Name(DateTimeOffset date, string what) =>
        date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-" + what;

    /// <summary>Writes the set to <paramref name="directory"/> and returns its full path; a set already there is
    /// replaced only with <paramref name="force"/> (else <see cref="OutputPathException"/>).</summary>
    public static string Write(string directory, BenchReport report, bool force = false) =>
        Write(OutputPath.ForDirectory(directory, "result set", force, createParents: true), report);

    /// <summary>Writes the set to <paramref name="output"/> (checked by its maker before the run) and indexes it.</summary>
    public static string Write(OutputPath output, BenchReport report)
    {
        var name = Path.GetFileName(output.FullPath);
        var full = output.WriteDirectory(temp =>
        {
            File.WriteAllText(Path.Combine(temp, JsonFile), ResultJson.Serialize(report));
            File.WriteAllText(Path.Combine(temp, MarkdownFile), Markdown(name, report));
            File.WriteAllText(Path.Combine(temp, CsvFile), ResultTables.Raw(report.Results).ToCsv());
            File.WriteAllText(Path.Combine(temp, EnvironmentFile), EnvironmentMarkdown(report));
            ResultPlots.WriteResultSet(temp, report);
            File.WriteAllText(Path.Combine(temp, HtmlFile), ResultHtml.Report(name, report));
        });
        var parent = Path.GetDirectoryName(full)!;
        if (Path.GetFileName(parent) == ResultsDirectory || File.Exists(Path.Combine(parent, IndexFile)))
            UpdateIndex(parent, name, report);
        return full;
    }

    public static string Markdown(string name, BenchReport report)
    {
        var text = new StringWriter { NewLine = "\n" };
        text.WriteLine($"# {name}");
        text.WriteLine();
        text.WriteLine($"`{report.Mode}` run of {Date(report.Date)} on {report.Machine.Summary}" +
                       (report.Command is null ? "." : $": `{report.Command}`."));
        if (report.Note is not null)
        {
            text.WriteLine();
            text.WriteLine($"**Note:** {report.Note}");
        }
        if (report.Method is not null)
        {
            text.WriteLine();
            text.WriteLine($"Method: {report.Method}.");
        }
        text.WriteLine();
        ResultTables.For(report.Results).WriteMarkdown(text);
        text.WriteLine();
        text.WriteLine("ns/page spreads a batch's time over every page it entered (faulting pages and neighbours); " +
                       "floor ns is the time to zero or copy one 4 KiB page; noise is the interquartile range of the " +
                       "samples over their median.");
        text.WriteLine();
        text.WriteLine($"![ns per fault]({ResultPlots.NsPerFault}.svg) ![ratio to generic]({ResultPlots.RatioToGeneric}.svg)");
        text.WriteLine();
        text.WriteLine($"The same figures: [{CsvFile}]({CsvFile}) (raw numbers), [{HtmlFile}]({HtmlFile}) (tables and plots), " +
                       $"[{JsonFile}]({JsonFile}) (what `faultlab compare` reads).");
        text.WriteLine();
        text.WriteLine("## Goals");
        text.WriteLine();
        var goals = new Table(("goal", false), ("measured", false), ("verdict", false));
        foreach (var goal in Goals.Evaluate(report.Results))
            goals.Add(goal.Goal, goal.Measured, goal.Verdict);
        goals.WriteMarkdown(text);
        if (report.Kernel is { } kernel)
        {
            text.WriteLine();
            text.WriteLine("## This machine's kernel");
            text.WriteLine();
            KernelTable.For(kernel, report.Results).WriteMarkdown(text);
        }
        return text.ToString();
    }

    public static string EnvironmentMarkdown(BenchReport report)
    {
        var m = report.Machine;
        var table = new Table(("", false), ("", false));
        table.Add("date", Date(report.Date));
        if (report.Command is not null)
            table.Add("command", $"`{report.Command}`");
        table.Add("mode", report.Mode);
        table.Add("cpu", m.Cpu);
        table.Add("cores", m.Cores.ToString(CultureInfo.InvariantCulture));
        table.Add("os", m.Os);
        table.Add("runtime", m.Runtime);
        table.Add("build", m.Configuration);
        table.Add("tiered compilation", m.TieredCompilation ? "on" : "off");
        table.Add("gc", m.Gc);
        table.Add("commit", m.GitCommit is null ? "unknown" : m.GitCommit + (m.GitDirty == true ? " (with uncommitted changes)" : ""));
        var text = new StringWriter { NewLine = "\n" };
        text.WriteLine("# Environment");
        text.WriteLine();
        table.WriteMarkdown(text);
        return text.ToString();
    }

    /// <summary>The set's row in the index: what ran, where, and the headline figures.</summary>
    public static string IndexRow(string name, BenchReport report)
    {
        var m = report.Machine;
        var workloads = report.Results.Select(r => r.Workload).Distinct().Count();
        var met = Goals.Evaluate(report.Results).Where(g => g.Met is not null).ToList();
        var soft = report.Results.FirstOrDefault(r => r.Workload == "soft-refault" && r.Path == "specialized" && r.Family == BenchResult.DefaultFamily);
        var families = report.Results.Select(r => r.Family).Distinct().Count();
        var what = new StringBuilder($"{report.Mode} bench, {workloads} workloads × " +
                                     (families > 1 ? $"{families} families × " : "") +
                                     $"{report.Results.Select(r => r.Path).Distinct().Count()} paths " +
                                     $"on {m.Cpu}, {m.Cores} cores, {m.Runtime}");
        if (m.GitCommit is not null)
            what.Append($", commit {m.GitCommit[..Math.Min(7, m.GitCommit.Length)]}");
        if (soft is not null)
            what.Append($": soft-refault specialized {ResultTables.Ratio(soft.RatioToGeneric)} × generic");
        what.Append($"; goals met {met.Count(g => g.Met == true)}/{met.Count}");
        if (report.Note is not null)
            what.Append($" ({report.Note})");
        return $"| [{name}]({name}/) | {what.ToString().Replace("|", "\\|")} |";
    }

    /// <summary>Adds or replaces the set's row of the index table (created if need be), keeping rows in name order.</summary>
    private static void UpdateIndex(string directory, string name, BenchReport report)
    {
        var path = Path.Combine(directory, IndexFile);
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : [.. IndexHeader];
        var row = IndexRow(name, report);
        var at = lines.FindIndex(l => l.StartsWith($"| [{name}](", StringComparison.Ordinal));
        if (at >= 0)
        {
            lines[at] = row;
        }
        else
        {
            var rows = lines.Select((l, i) => (Line: l, Index: i)).Where(x => x.Line.StartsWith("| [", StringComparison.Ordinal)).ToList();
            if (rows.Count == 0)
            {
                if (lines.Count > 0 && lines[^1].Length > 0)
                    lines.Add("");
                lines.AddRange(TableHeader);
                lines.Add(row);
            }
            else
            {
                var after = rows.FirstOrDefault(x => string.CompareOrdinal(x.Line, row) > 0);
                lines.Insert(after.Line is not null ? after.Index : rows[^1].Index + 1, row);
            }
        }
        OutputPath.ReplaceText(path, string.Join("\n", lines) + "\n");
    }

    private static readonly string[] TableHeader = ["| result set | what |", "|---|---|"];

    private static readonly string[] IndexHeader =
    [
        "# Result sets",
        "",
        "Each folder is one committed run: what was run, its output, and the machine it ran on. Bench sets hold " +
        "`results.md` (the table, the plots and the goals), `results.csv`, `results.html`, `results.json` (machine-readable; " +
        "`faultlab compare OLD NEW` reads it), the plots as SVG and PNG, and `environment.md` (CPU, runtime, commit); " +
        "their figures compare only between sets from the same machine.",
        "",
    ];

    private static string Date(DateTimeOffset date) =>
        date.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
