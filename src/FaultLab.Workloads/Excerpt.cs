using System.Globalization;
using System.Text;

namespace FaultLab.Workloads;

/// <summary>
/// How an error message quotes what the user gave (a token of a scenario, a path, an argument): at most
/// <see cref="MaxLength"/> characters of it, cut with "…", and printable ASCII only: control characters (terminal
/// escape codes included) and everything beyond ASCII are written as <c>\xHH</c> or <c>\uHHHH</c>, a backslash as
/// <c>\\</c>. A 10 MB line or a binary file then gives a short, harmless error line.
/// </summary>
public static class Excerpt
{
    /// <summary>The longest excerpt of input text, in characters of the escaped text.</summary>
    public const int MaxLength = 80;

    /// <summary>The longest excerpt of a path (they are longer, and come from the command line, not a file).</summary>
    public const int MaxPathLength = 512;

    /// <summary>The excerpt between single quotes.</summary>
    public static string Quote(string text, int max = MaxLength) => "'" + Of(text, max) + "'";

    /// <summary>A path between single quotes.</summary>
    public static string QuotePath(string path) => Quote(path, MaxPathLength);

    /// <summary>The escaped excerpt of <paramref name="text"/>, at most <paramref name="max"/> characters (and "…").</summary>
    public static string Of(string text, int max = MaxLength)
    {
        var result = new StringBuilder(Math.Min(text.Length, max) + 1);
        foreach (var c in text)
        {
            var escaped = Escape(c);
            if (result.Length + escaped.Length > max)
            {
                return result.Append('…').ToString();
            }
            result.Append(escaped);
        }
        return result.ToString();
    }

    private static string Escape(char c) => c switch
    {
        '\\' => @"\\",
        '\t' => @"\t",
        '\n' => @"\n",
        '\r' => @"\r",
        < ' ' or '\x7f' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
        > '\x7f' => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
        _ => c.ToString(),
    };
}
