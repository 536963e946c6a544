using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FaultLab.Cli.CommandLine;
using FaultLab.Workloads.Output;
using FaultLab.Benchmarks.Results;

namespace FaultLab.Cli;

/// <summary><c>faultlab compare OLD NEW</c>: per-figure ratios NEW/OLD, flagged where they move beyond the noise.</summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var results = CliOptions.Files("OLD NEW", "two bench results: results.json files, or result-set directories holding one", 2, 2);
        var threshold = new Option<double>("--threshold")
        {
            Description = "the smallest change that counts, as a percentage (5% or 5); a figure moves beyond the larger of " +
                          "this and the two runs' noise",
            HelpName = "PCT",
            DefaultValueFactory = _ => Comparison.DefaultThreshold,
            CustomParser = Percentage,
        };
        var ratios = CliOptions.Flag("--ratios", "compare the × generic and × floor ratios instead of the times: each is " +
                                                 "measured against a baseline of its own run, so a change of machine load moves neither");
        var markdown = CliOptions.Flag("--markdown", "print the comparison as a markdown table");
        var csv = CliOptions.Flag("--csv", "print the comparison as CSV");
        var json = CliOptions.Json();
        var output = CliOptions.Output();
        var @out = CliOptions.Out("also write the comparison as a set: DIR/comparison.md, comparison.csv, comparison.json and " +
                                  "the old/new plot compare.svg and compare.png; DIR absent or empty");
        var force = CliOptions.Force();
        var command = new Verb("compare", "compare two bench results; exit 1 on a regression beyond the threshold", """
            Compares two bench results (results.json files, or result-set directories holding one): for every figure
            (a workload on a path and job, or a data floor; with --ratios each × generic and × floor ratio) the ratio
            NEW/OLD, flagged SLOWER or FASTER when it moves by more than the larger of the two runs' noise and the
            threshold (--threshold, default 5%). Times only compare between runs on the same machine; the ratios
            survive a busier machine. For CI: faultlab compare --threshold 5% --ratios results/OLD results/NEW.

            Exit status: 0 nothing regressed; 1 a figure is SLOWER beyond the threshold (data floors are baselines
            and are not counted); 2 bad usage or a result that cannot be read.
            """)
        {
            results, threshold, ratios, markdown, csv, json, output, @out, force,
        };
        command.Validators.Add(result =>
        {
            if (new Option[] { markdown, csv, json }.Count(o => result.GetResult(o) is { Implicit: false }) > 1)
                result.AddError("--markdown, --csv and --json are three forms of the table; give one");
            if (result.GetResult(force) is { Implicit: false } && result.GetResult(@out) is null or { Implicit: true })
                result.AddError("--force applies to --out");
        });
        command.SetAction(parse =>
        {
            var operands = parse.GetValue(results)!;
            var format = parse.GetValue(markdown) ? Format.Markdown : parse.GetValue(csv) ? Format.Csv : Format.Text;
            var printed = Printed.Open(parse, json, output, context, machineFormat: format != Format.Text);
            var set = parse.GetValue(@out) is { } dir ? OutputPath.ForDirectory(dir, "--out", parse.GetValue(force)) : null;
            return Run(operands[0], operands[1], parse.GetValue(threshold), parse.GetValue(ratios) ? CompareMode.Ratios : CompareMode.Times,
                format, printed, set, context.Stderr);
        });
        return command;
    }

    private enum Format { Text, Markdown, Csv }

    /// <summary><c>5%</c>, <c>5</c> or <c>0.5%</c>: a percentage from 0 to 1000, as a fraction.</summary>
    private static double Percentage(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (double.TryParse(text.TrimEnd('%'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            && percent <= 1000)
            return percent / 100;
        result.AddError($"option '--threshold' needs a percentage from 0% to 1000%, got {Workloads.Excerpt.Quote(text)}");
        return Comparison.DefaultThreshold;
    }

    private static int Run(string oldPath, string newPath, double threshold, CompareMode mode, Format format, Printed printed,
        OutputPath? set, TextWriter stderr)
    {
        BenchReport old, @new;
        try
        {
            old = ResultJson.Read(oldPath);
            @new = ResultJson.Read(newPath);
        }
        catch (ResultReadException e)
        {
            stderr.WriteLine($"faultlab: {e.Message}");
            return ExitCodes.Usage;
        }

        var rows = Comparison.Compare(old, @new, threshold, mode);
        var table = Comparison.Table(rows, mode);
        var human = printed.Human;
        human.WriteLine($"old: {oldPath} ({old.Mode}, {Date(old)}, {old.Machine.Summary})");
        human.WriteLine($"new: {newPath} ({@new.Mode}, {Date(@new)}, {@new.Machine.Summary})");
        if (old.Machine.Cpu != @new.Machine.Cpu || old.Machine.Cores != @new.Machine.Cores)
            human.WriteLine(mode == CompareMode.Ratios
                ? "note: the runs are from different machines; only their ratios compare"
                : "note: the runs are from different machines; their times say little about the code (try --ratios)");
        if (old.Mode != @new.Mode)
            human.WriteLine($"note: the runs measured differently ({old.Mode} vs {@new.Mode})");
        human.WriteLine();
        if (printed.Json)
            printed.Main.WriteLine(Json(rows));
        else if (format == Format.Markdown)
            table.WriteMarkdown(printed.Main);
        else if (format == Format.Csv)
            table.WriteCsv(printed.Main);
        else
            table.WriteText(printed.Main);
        human.WriteLine();
        var compared = rows.Count(r => r.Ratio is not null);
        var slower = rows.Count(r => r.Change == Change.Slower);
        var faster = rows.Count(r => r.Change == Change.Faster);
        var regressed = rows.Count(r => r.Regressed);
        human.WriteLine(slower + faster == 0
            ? $"compare: {compared} figures, none changed beyond the noise"
            : $"compare: {compared} figures, {slower + faster} changed beyond the noise: {slower} slower, {faster} faster");
        if (regressed > 0)
            human.WriteLine($"compare: {regressed} regressed beyond the threshold (exit 1)");
        printed.Finish("compare");
        if (set is not null)
        {
            var written = set.WriteDirectory(temp =>
            {
                File.WriteAllText(Path.Combine(temp, "comparison.md"),
                    $"# {Path.GetFileName(set.FullPath)}\n\nold: `{oldPath}`, new: `{newPath}`, threshold {ResultTables.Percent(threshold)}, " +
                    $"{(mode == CompareMode.Ratios ? "ratios" : "times")}.\n\n![old and new]({ResultPlots.Compare}.svg)\n\n" + table.ToMarkdown());
                File.WriteAllText(Path.Combine(temp, "comparison.csv"), table.ToCsv());
                File.WriteAllText(Path.Combine(temp, "comparison.json"), Json(rows) + "\n");
                ResultPlots.WriteComparison(temp, rows, mode == CompareMode.Ratios ? "ratio" : "ns");
            });
            human.WriteLine($"compare: wrote {written}");
        }
        return regressed > 0 ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static string Json(IReadOnlyList<ComparedRow> rows) =>
        JsonSerializer.Serialize(rows.Select(r => new
        {
            workload = r.Workload, figure = r.What, job = r.Job, old = r.Old, @new = r.New, ratio = r.Ratio,
            threshold = r.Threshold, change = r.Change.ToString().ToLowerInvariant(), regressed = r.Regressed,
        }), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Date(BenchReport report) =>
        report.Date.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
