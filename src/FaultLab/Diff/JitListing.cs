using System.Text.RegularExpressions;

namespace FaultLab.Cli.Diff;

/// <summary>One method of a JIT listing (DOTNET_JitDisasm): its name, code size and normalised instructions.</summary>
/// <param name="Method">The method without its namespace and declaring class, e.g. <c>UpperLookup(FaultLab.Core.Machine,...)</c>.</param>
/// <param name="FullName">The method as the JIT names it.</param>
/// <param name="CodeBytes">"Total bytes of code".</param>
/// <param name="Lines">The instructions and block labels, normalised so that a diff shows real differences.</param>
internal sealed record MethodListing(string Method, string FullName, int CodeBytes, IReadOnlyList<string> Lines);

/// <summary>
/// Reads JIT listings and normalises them: offsets and code addresses go, block labels are renumbered in order
/// of appearance, frame offsets and large constants (handles, addresses) become placeholders, and the
/// namespace and class of the method are dropped so that the same method of two variants lines up, and calls
/// into a nested (variant) class read as calls into its outer class.
/// </summary>
internal static partial class JitListing
{
    [GeneratedRegex(@"^; Assembly listing for method (?<name>.+?) \((?<tier>[^()]*)\)\s*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^; Total bytes of code (?<n>\d+)")]
    private static partial Regex Total();

    [GeneratedRegex(@"\bG_M\d+_IG(?<n>\d+)\b")]
    private static partial Regex Label();

    [GeneratedRegex(@"\s*;;.*$")]
    private static partial Regex TrailingComment();

    [GeneratedRegex(@"\[(?<base>rbp|rsp|ebp|esp|fp|sp)(?<sign>[+-])0x[0-9A-Fa-f]+\]")]
    private static partial Regex FrameOffset();

    [GeneratedRegex(@"\b0x[0-9A-Fa-f]{11,}\b")]
    private static partial Regex LargeConstant();

    [GeneratedRegex(@"\[reloc @RWD\d+\]")]
    private static partial Regex DataLabel();

    /// <summary>A nested class in a call target: <c>UvmFault+wired_normal_cow:</c> (or a generic instance of one).</summary>
    [GeneratedRegex(@"(?<outer>[A-Za-z0-9_.]+)\+[A-Za-z0-9_`]+(\[[^\]:]*\])?:")]
    private static partial Regex NestedClass();

    /// <summary>Every method listed in <paramref name="text"/>, in order.</summary>
    public static List<MethodListing> Parse(string text)
    {
        var methods = new List<MethodListing>();
        string? fullName = null;
        var lines = new List<string>();
        var labels = new Dictionary<string, int>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var header = Header().Match(line);
            if (header.Success)
            {
                fullName = header.Groups["name"].Value;
                lines = [];
                labels = [];
                continue;
            }
            if (fullName is null)
                continue;
            var total = Total().Match(line);
            if (total.Success)
            {
                methods.Add(new MethodListing(ShortName(fullName), fullName, int.Parse(total.Groups["n"].Value), lines));
                fullName = null;
                continue;
            }
            if (line.StartsWith(';') || line.Trim().Length == 0)
                continue; // the JIT's notes about the method, and blank lines between blocks
            lines.Add(Normalize(line, labels));
        }
        return methods;
    }

    /// <summary>One instruction or label line, normalised.</summary>
    public static string Normalize(string line, Dictionary<string, int> labels)
    {
        line = TrailingComment().Replace(line, "");
        line = Label().Replace(line, m =>
        {
            if (!labels.TryGetValue(m.Value, out int n))
                labels[m.Value] = n = labels.Count + 1;
            return $"L{n:D2}";
        });
        line = FrameOffset().Replace(line, m => $"[{m.Groups["base"].Value}{m.Groups["sign"].Value}FRAME]");
        line = LargeConstant().Replace(line, "ADDR");
        line = DataLabel().Replace(line, "[DATA]");
        // A variant calls its own copies: read those calls as calls of the path's class, as the generic path's are.
        line = NestedClass().Replace(line, m => m.Groups["outer"].Value + ":");
        return System.Text.RegularExpressions.Regex.Replace(line.Trim(), @"\s+", " ");
    }

    /// <summary><c>FaultLab.Core.UvmFault+nowire_normal_cow:UpperLookup(...):byte</c> → <c>UpperLookup(...):byte</c>.</summary>
    public static string ShortName(string fullName)
    {
        int paren = fullName.IndexOf('(');
        int colon = fullName.LastIndexOf(':', paren < 0 ? fullName.Length - 1 : paren);
        return colon < 0 ? fullName : fullName[(colon + 1)..];
    }
}
