using System.Globalization;
using FaultLab.Workloads.Output;
using FaultLab.Benchmarks.Results;

namespace FaultLab.Cli;

/// <summary><c>faultlab compare OLD NEW</c>: per-figure ratios NEW/OLD, flagged where they move beyond the noise.</summary>
internal static class CompareCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = new Arguments("compare", args);
        while (arguments.NextOption())
        {
            switch (arguments.Current)
            {
                case "-h" or "--help":
                    stdout.WriteLine(HelpText.Compare);
                    return ExitCodes.Success;
                default:
                    throw arguments.Unknown();
            }
        }
        if (arguments.Operands.Count != 2)
            throw arguments.Error($"give two results (OLD NEW), got {arguments.Operands.Count}");

        BenchReport old, @new;
        try
        {
            old = ResultJson.Read(arguments.Operands[0]);
            @new = ResultJson.Read(arguments.Operands[1]);
        }
        catch (ResultReadException e)
        {
            stderr.WriteLine($"faultlab: {e.Message}");
            return ExitCodes.Usage;
        }

        stdout.WriteLine($"old: {arguments.Operands[0]} ({old.Mode}, {Date(old)}, {old.Machine.Summary})");
        stdout.WriteLine($"new: {arguments.Operands[1]} ({@new.Mode}, {Date(@new)}, {@new.Machine.Summary})");
        if (old.Machine.Cpu != @new.Machine.Cpu || old.Machine.Cores != @new.Machine.Cores)
            stdout.WriteLine("note: the runs are from different machines; their ratios say little about the code");
        if (old.Mode != @new.Mode)
            stdout.WriteLine($"note: the runs measured differently ({old.Mode} vs {@new.Mode})");
        stdout.WriteLine();

        var rows = Comparison.Compare(old, @new);
        var table = new Table(("workload", false), ("figure", false), ("job", false), ("old ns", true), ("new ns", true),
            ("new/old", true), ("threshold", true), ("change", false));
        foreach (var row in rows)
        {
            table.Add(row.Workload, row.What, row.Job,
                row.Old is { } o ? ResultTables.Ns(o) : "", row.New is { } n ? ResultTables.Ns(n) : "",
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
        table.WriteText(stdout);
        stdout.WriteLine();
        var compared = rows.Count(r => r.Ratio is not null);
        var slower = rows.Count(r => r.Change == Change.Slower);
        var faster = rows.Count(r => r.Change == Change.Faster);
        stdout.WriteLine(slower + faster == 0
            ? $"compare: {compared} figures, none changed beyond the noise"
            : $"compare: {compared} figures, {slower + faster} changed beyond the noise: {slower} slower, {faster} faster");
        return ExitCodes.Success;
    }

    private static string Date(BenchReport report) =>
        report.Date.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
