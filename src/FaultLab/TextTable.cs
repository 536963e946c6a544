namespace FaultLab.Cli;

/// <summary>
/// A plain-text table for a terminal: a header, a rule of dashes under each column, columns two spaces apart,
/// text left-aligned and numbers right-aligned. Trailing spaces are trimmed.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];
    private readonly bool[] rightAligned = new bool[headers.Length];

    /// <summary>Right-aligns the columns of these headers (numbers).</summary>
    public TextTable AlignRight(params string[] columns)
    {
        foreach (var column in columns)
        {
            rightAligned[Array.IndexOf(headers, column)] = true;
        }
        return this;
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {headers.Length} columns", nameof(cells));
        }
        rows.Add(cells);
    }

    public void Write(TextWriter output)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        WriteRow(output, headers, widths);
        WriteRow(output, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var padded = cells.Select((c, i) => rightAligned[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]));
        output.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}
