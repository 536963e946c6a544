using System.Text;

namespace FaultLab.Workloads.Output;

/// <summary>
/// The lab's one table writer: a header and rows of strings, written aligned for a terminal (a rule of dashes under
/// each column, columns two spaces apart, numbers right-aligned, trailing spaces trimmed), as a markdown table, as
/// CSV (RFC 4180) or as an HTML table. Every verb's table and every result set's results.md, results.csv and
/// results.html come from it, so the forms never disagree. The text form is plain on purpose: it reads the same on a terminal, in a pipe, in a CI log
/// and in a test (no colour, no box drawing, no wrapping at a guessed console width).
/// </summary>
public sealed class Table
{
    private readonly (string Header, bool Right)[] columns;
    private readonly List<string[]> rows = [];

    public Table(params (string Header, bool Right)[] columns) => this.columns = columns;

    /// <summary>A table of left-aligned columns; <see cref="AlignRight"/> marks the numeric ones.</summary>
    public Table(params string[] headers) : this(headers.Select(h => (h, false)).ToArray()) { }

    public int Count => rows.Count;

    public IReadOnlyList<string> Headers => [.. columns.Select(c => c.Header)];

    public IReadOnlyList<IReadOnlyList<string>> Rows => rows;

    /// <summary>Right-aligns the columns of these headers (numbers).</summary>
    public Table AlignRight(params string[] headers)
    {
        foreach (var header in headers)
        {
            var i = Array.FindIndex(columns, c => c.Header == header);
            if (i < 0)
                throw new ArgumentException($"no column {header}", nameof(headers));
            columns[i].Right = true;
        }
        return this;
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != columns.Length)
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {columns.Length} columns", nameof(cells));
        rows.Add(cells);
    }

    public void WriteText(TextWriter writer)
    {
        var widths = columns.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Header.Length).Max()).ToArray();
        writer.WriteLine(Line([.. columns.Select(c => c.Header)], widths));
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
            writer.WriteLine(Line(row, widths));
    }

    public void WriteMarkdown(TextWriter writer)
    {
        writer.WriteLine("| " + string.Join(" | ", columns.Select(c => Markdown(c.Header))) + " |");
        writer.WriteLine("|" + string.Join("|", columns.Select(c => c.Right ? "---:" : "---")) + "|");
        foreach (var row in rows)
            writer.WriteLine("| " + string.Join(" | ", row.Select(Markdown)) + " |");
    }

    /// <summary>CSV with a header row; a cell with a comma, a quote or a line break is quoted, quotes doubled.</summary>
    public void WriteCsv(TextWriter writer)
    {
        writer.WriteLine(string.Join(",", columns.Select(c => Csv(c.Header))));
        foreach (var row in rows)
            writer.WriteLine(string.Join(",", row.Select(Csv)));
    }

    /// <summary>An HTML <c>&lt;table&gt;</c> (cells escaped; right-aligned columns marked with class <c>num</c>).</summary>
    public void WriteHtml(TextWriter writer)
    {
        string Cell(string tag, string text, int i) =>
            $"<{tag}{(columns[i].Right ? " class=\"num\"" : "")}>{System.Net.WebUtility.HtmlEncode(text)}</{tag}>";
        writer.WriteLine("<table>");
        writer.WriteLine("<thead><tr>" + string.Concat(columns.Select((c, i) => Cell("th", c.Header, i))) + "</tr></thead>");
        writer.WriteLine("<tbody>");
        foreach (var row in rows)
            writer.WriteLine("<tr>" + string.Concat(row.Select((cell, i) => Cell("td", cell, i))) + "</tr>");
        writer.WriteLine("</tbody>");
        writer.WriteLine("</table>");
    }

    public string ToText() => Render(WriteText);

    public string ToHtml() => Render(WriteHtml);

    public string ToMarkdown() => Render(WriteMarkdown);

    public string ToCsv() => Render(WriteCsv);

    private static string Render(Action<TextWriter> write)
    {
        var text = new StringWriter(new StringBuilder()) { NewLine = "\n" };
        write(text);
        return text.ToString();
    }

    private string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => columns[i].Right ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();

    private static string Markdown(string cell) => cell.Replace("|", "\\|");

    private static string Csv(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
