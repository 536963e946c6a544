namespace FaultLab.Benchmarks.Results;

/// <summary>A table of strings, written aligned for a terminal or as a markdown table.</summary>
public sealed class Table(params (string Header, bool Right)[] columns)
{
    private readonly List<string[]> rows = [];

    public int Count => rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != columns.Length)
            throw new ArgumentException($"{cells.Length} cells for {columns.Length} columns");
        rows.Add(cells);
    }

    public void WriteText(TextWriter writer)
    {
        var widths = Widths();
        writer.WriteLine(Line(columns.Select(c => c.Header).ToArray(), widths).TrimEnd());
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
            writer.WriteLine(Line(row, widths).TrimEnd());
    }

    public void WriteMarkdown(TextWriter writer)
    {
        writer.WriteLine("| " + string.Join(" | ", columns.Select(c => c.Header)) + " |");
        writer.WriteLine("|" + string.Join("|", columns.Select(c => c.Right ? "---:" : "---")) + "|");
        foreach (var row in rows)
            writer.WriteLine("| " + string.Join(" | ", row) + " |");
    }

    private int[] Widths() =>
        columns.Select((c, i) => Math.Max(c.Header.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();

    private string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => columns[i].Right ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])));
}
