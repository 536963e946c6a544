using System.Text;
using DiffPlex;
using DiffPlex.Model;

namespace FaultLab.Cli.Diff;

/// <summary>Counts of a diff.</summary>
internal readonly record struct DiffStats(int Removed, int Added)
{
    public static DiffStats operator +(DiffStats a, DiffStats b) => new(a.Removed + b.Removed, a.Added + b.Added);
}

/// <summary>
/// Unified diffs (as <c>diff -u</c> prints them) of two line lists, computed with DiffPlex: <c>---</c>/<c>+++</c>
/// headers, <c>@@ -a,b +c,d @@</c> hunks with <see cref="Context"/> lines of context, ' ', '-' and '+' lines;
/// optionally coloured with ANSI escapes for a terminal.
/// </summary>
internal static class UnifiedDiff
{
    public const int Context = 3;

    private const string Red = "\u001b[31m", Green = "\u001b[32m", Cyan = "\u001b[36m", Bold = "\u001b[1m", Reset = "\u001b[0m";

    /// <summary>Appends the diff of <paramref name="oldLines"/> and <paramref name="newLines"/>; nothing when they are equal.</summary>
    public static DiffStats Write(StringBuilder sb, string oldName, string newName,
        IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, bool color)
    {
        var result = new Differ().CreateCustomDiffs(string.Join('\n', oldLines), string.Join('\n', newLines),
            ignoreWhiteSpace: false, SplitLines);
        if (result.DiffBlocks.Count == 0)
            return default;

        Paint(sb, color ? Bold : null, $"--- {oldName}");
        Paint(sb, color ? Bold : null, $"+++ {newName}");
        var stats = default(DiffStats);
        var a = result.PiecesOld;
        var b = result.PiecesNew;
        foreach (var hunk in Hunks(result.DiffBlocks, a.Length, b.Length))
        {
            var (aStart, aEnd, bStart, bEnd) = hunk.Range;
            Paint(sb, color ? Cyan : null, $"@@ -{Range(aStart, aEnd - aStart)} +{Range(bStart, bEnd - bStart)} @@");
            int ai = aStart, bi = bStart;
            foreach (var block in hunk.Blocks)
            {
                for (; ai < block.DeleteStartA; ai++, bi++)
                    sb.Append(' ').Append(a[ai]).Append('\n');
                for (int k = 0; k < block.DeleteCountA; k++, ai++)
                    Paint(sb, color ? Red : null, "-" + a[ai]);
                for (int k = 0; k < block.InsertCountB; k++, bi++)
                    Paint(sb, color ? Green : null, "+" + b[bi]);
                stats += new DiffStats(block.DeleteCountA, block.InsertCountB);
            }
            for (; ai < aEnd; ai++)
                sb.Append(' ').Append(a[ai]).Append('\n');
        }
        return stats;
    }

    private sealed record Hunk((int AStart, int AEnd, int BStart, int BEnd) Range, List<DiffBlock> Blocks);

    /// <summary>Groups the changed blocks into hunks: blocks closer than 2 × context share one.</summary>
    private static List<Hunk> Hunks(IList<DiffBlock> blocks, int aCount, int bCount)
    {
        var hunks = new List<Hunk>();
        Hunk? current = null;
        foreach (var block in blocks)
        {
            int aStart = Math.Max(0, block.DeleteStartA - Context);
            int bStart = Math.Max(0, block.InsertStartB - Context);
            int aEnd = Math.Min(aCount, block.DeleteStartA + block.DeleteCountA + Context);
            int bEnd = Math.Min(bCount, block.InsertStartB + block.InsertCountB + Context);
            if (current is not null && aStart <= current.Range.AEnd)
            {
                current.Blocks.Add(block);
                current = current with { Range = (current.Range.AStart, aEnd, current.Range.BStart, bEnd) };
                hunks[^1] = current;
            }
            else
            {
                current = new Hunk((aStart, aEnd, bStart, bEnd), [block]);
                hunks.Add(current);
            }
        }
        return hunks;
    }

    /// <summary>diff -u's line range: "start,count" (1-based; an empty range starts at the line before).</summary>
    private static string Range(int start, int count) =>
        count == 0 ? $"{start},0" : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";

    private static void Paint(StringBuilder sb, string? color, string line)
    {
        if (color is null)
            sb.Append(line).Append('\n');
        else
            sb.Append(color).Append(line).Append(Reset).Append('\n');
    }

    /// <summary>Splits on '\n' only, so that lines compare exactly.</summary>
    private static string[] SplitLines(string text) => text.Length == 0 ? [] : text.Split('\n');
}
