using System.Globalization;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The words of the scenario language and how values are spelled, shared by the parser (reading) and the
/// transcript (writing) so that the two cannot drift apart.
/// </summary>
public static class Syntax
{
    /// <summary>Words that start a statement themselves, so they cannot name a process or a file.</summary>
    public static IReadOnlySet<string> Keywords { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "machine", "file", "proc", "pageout", "pagedaemon", "reset", "expect" };

    /// <summary>Errno names an outcome may use: every one but <c>OK</c> and the fault path's internal <c>ERESTART</c>.</summary>
    public static bool TryParseError(string text, out Errno error)
    {
        foreach (var candidate in Enum.GetValues<Errno>())
        {
            if (candidate is not (Errno.OK or Errno.ERESTART) && candidate.ToString() == text)
            {
                error = candidate;
                return true;
            }
        }
        error = Errno.OK;
        return false;
    }

    public static string ProtName(Prot prot) => prot switch
    {
        Prot.None => "none",
        Prot.Read => "r",
        Prot.ReadWrite => "rw",
        // Write-only cannot be asked for in a scenario, but the transcript must still say what the model did.
        _ => "w",
    };

    public static bool TryParseProt(string text, out Prot prot)
    {
        (var ok, prot) = text switch
        {
            "none" => (true, Prot.None),
            "r" => (true, Prot.Read),
            "rw" => (true, Prot.ReadWrite),
            _ => (false, Prot.None),
        };
        return ok;
    }

    public static string AdviceName(Advice advice) => advice switch
    {
        Advice.Random => "random",
        Advice.Sequential => "sequential",
        _ => "normal",
    };

    public static bool TryParseAdvice(string text, out Advice advice)
    {
        (var ok, advice) = text switch
        {
            "normal" => (true, Advice.Normal),
            "random" => (true, Advice.Random),
            "sequential" => (true, Advice.Sequential),
            _ => (false, Advice.Normal),
        };
        return ok;
    }

    public static string RangeOperationName(RangeOperation op) => op switch
    {
        RangeOperation.Munmap => "munmap",
        RangeOperation.Mlock => "mlock",
        RangeOperation.Munlock => "munlock",
        RangeOperation.Loan => "loan",
        _ => "unloan",
    };

    public static string PageCountName(PageCountKind kind) => kind switch
    {
        PageCountKind.Mapped => "mapped",
        PageCountKind.Resident => "resident",
        _ => "wired",
    };

    /// <summary>A decimal or <c>0x</c> hexadecimal number with no sign.</summary>
    public static bool TryParseNumber(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal) || text.StartsWith("0X", StringComparison.Ordinal))
        {
            value = 0;
            return text.Length > 2
                && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static bool IsName(string text) =>
        text.Length > 0
        && (char.IsAsciiLetter(text[0]) || text[0] == '_')
        && text.AsSpan(1).IndexOfAnyExcept(NameChars) < 0;

    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>Addresses are written in hexadecimal, as they are in the scenarios.</summary>
    public static string Address(ulong address) => "0x" + address.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Bytes are written as two hex digits, so a byte is never mistaken for a count.</summary>
    public static string Byte(byte value) => "0x" + value.ToString("x2", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
