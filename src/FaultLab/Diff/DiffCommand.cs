using System.CommandLine;
using System.Globalization;
using System.Text;
using FaultLab.Workloads.Output;
using FaultLab.Cli.CommandLine;
using FaultLab.Core;
using FaultLab.Workloads;

namespace FaultLab.Cli.Diff;

/// <summary>
/// <c>faultlab diff A B [--asm] [--color auto|always|never]</c>: what two fault paths (generic or a variant)
/// differ in, method by method: their generated source, or the JIT's native code for them.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        var paths = CliOptions.Files("A B", "two fault paths: 'generic' or a variant's name (faultlab variants lists them)", 2, 2);
        paths.Validators.Add(result =>
        {
            foreach (var name in result.Tokens.Select(t => t.Value))
                if (FaultSources.Of(name) is null)
                    result.AddError($"unknown variant {Excerpt.Quote(name)}; valid names: {string.Join(", ", FaultSources.PathNames)}");
        });
        paths.CompletionSources.Add([.. FaultSources.PathNames]);
        var asm = CliOptions.Flag("--asm", "diff the JIT's native code (full optimisation, in a child process with " +
                                           "DOTNET_JitDisasm), normalised so that only real differences show, with code sizes per method");
        var color = new Option<string>("--color")
        {
            Description = "colour the diff: auto (on a terminal and NO_COLOR unset, the default), always, never",
            HelpName = "WHEN",
            DefaultValueFactory = _ => "auto",
        };
        color.AcceptOnlyFromAmong("auto", "always", "never");
        var command = new Verb("diff", "diff two fault paths (generic or a variant), source or --asm native code", """
            Shows what two fault paths differ in, method by method, as unified diffs. A and B are 'generic' or a
            variant's name (faultlab variants lists them, e.g. wired+sequential+cow). Against 'generic', the diff
            shows what the generator's folding removed from the generic path.

            Exit status: 0, or 2 for usage errors (an unknown name lists the valid ones).
            """)
        {
            paths, asm, color,
        };
        command.SetAction(parse =>
        {
            var names = parse.GetValue(paths)!;
            return Run(names[0], names[1], parse.GetValue(asm), parse.GetValue(color)!, context);
        });
        return command;
    }

    private static int Run(string a, string b, bool asm, string color, CliContext context)
    {
        var (stdout, interrupt) = (context.Stdout, context.Interrupt);
        bool useColor = color == "always" || (color == "auto" && ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));
        var sb = new StringBuilder();
        if (asm)
            Asm(sb, a, b, useColor, interrupt.Token);
        else
            Source(sb, a, b, useColor);
        stdout.Write(sb.ToString());
        return ExitCodes.Success;
    }

    /// <summary>The unified diff of each method's generated source, then a summary per method.</summary>
    private static void Source(StringBuilder sb, string a, string b, bool color)
    {
        var left = FaultSources.Of(a)!;
        var right = FaultSources.Of(b)!.ToDictionary(m => m.Method);
        var rows = new List<(string Method, DiffStats Stats)>();
        var body = new StringBuilder();
        foreach (var method in left)
        {
            var stats = UnifiedDiff.Write(body, $"{a}/{method.Method}", $"{b}/{method.Method}",
                Lines(method.Text), Lines(right[method.Method].Text), color);
            rows.Add((method.Method, stats));
        }
        Summary(sb, $"source of {a} and {b}", rows, null);
        sb.Append(body);
    }

    /// <summary>The unified diff of each method's normalised native code, then code sizes per method.</summary>
    private static void Asm(StringBuilder sb, string a, string b, bool color, CancellationToken cancellation)
    {
        var listings = JitCollector.Collect(a == b ? [a] : [a, b], TimeSpan.FromSeconds(60), cancellation);
        var left = listings[a].ToDictionary(m => m.Method);
        var right = listings[b].ToDictionary(m => m.Method);
        var rows = new List<(string Method, DiffStats Stats)>();
        var sizes = new Dictionary<string, (int A, int B)>();
        var body = new StringBuilder();
        foreach (var method in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            var l = left.GetValueOrDefault(method);
            var r = right.GetValueOrDefault(method);
            sizes[method] = (l?.CodeBytes ?? 0, r?.CodeBytes ?? 0);
            var stats = UnifiedDiff.Write(body, $"{a}/{method}", $"{b}/{method}",
                l?.Lines ?? [], r?.Lines ?? [], color);
            rows.Add((method, stats));
        }
        Summary(sb, $"native code of {a} and {b} (JIT, full optimisation; labels, frame offsets and addresses normalised)", rows, sizes);
        sb.Append(body);
    }

    private static void Summary(StringBuilder sb, string what, List<(string Method, DiffStats Stats)> rows,
        Dictionary<string, (int A, int B)>? sizes)
    {
        var total = rows.Aggregate(default(DiffStats), (s, r) => s + r.Stats);
        int differ = rows.Count(r => r.Stats != default);
        sb.Append($"# {what}: {rows.Count} methods, {differ} differ, {total.Removed} lines removed, {total.Added} added\n");
        // The lab's one table writer, each line a comment of the diff.
        string[] headers = sizes is null ? ["method", "removed", "added"] : ["method", "removed", "added", "bytes A", "bytes B", "delta"];
        var table = new Table(headers).AlignRight([.. headers.Skip(1)]);
        string[] Sizes(int x, int y) => sizes is null ? [] : [I(x), I(y), (y - x).ToString("+0;-0;0", CultureInfo.InvariantCulture)];
        foreach (var (method, stats) in rows)
        {
            var (x, y) = sizes?[method] ?? default;
            table.Add([ShortName(method), I(stats.Removed), I(stats.Added), .. Sizes(x, y)]);
        }
        table.Add(["total", I(total.Removed), I(total.Added),
            .. Sizes(sizes?.Values.Sum(s => s.A) ?? 0, sizes?.Values.Sum(s => s.B) ?? 0)]);
        foreach (var line in table.ToText().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            sb.Append("# ").Append(line).Append('\n');
        sb.Append("\n\n");
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string ShortName(string method)
    {
        int paren = method.IndexOf('(');
        return paren < 0 ? method : method[..paren];
    }

    private static string[] Lines(string text) => text.Split('\n');
}
