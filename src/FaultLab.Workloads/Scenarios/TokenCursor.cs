using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// Reads the tokens of one statement left to right, turning each into the value the grammar wants there or
/// throwing a <see cref="SyntaxException"/> that points at the token (or just past the statement when a token
/// is missing).
/// </summary>
internal sealed class TokenCursor(ImmutableArray<Token> tokens)
{
    private int position;

    public bool AtEnd => position >= tokens.Length;

    public Token Next(string what)
    {
        if (AtEnd)
        {
            var end = tokens.IsEmpty ? 1 : tokens[^1].EndColumn;
            throw new SyntaxException(end, $"missing {what}");
        }
        return tokens[position++];
    }

    /// <summary>The next token if there is one (the optional trailing words: <c>wired</c>, <c>resident</c>).</summary>
    public bool TryNext(out Token token)
    {
        token = AtEnd ? default : tokens[position];
        if (!AtEnd)
        {
            position++;
            return true;
        }
        return false;
    }

    /// <summary>Whether the next token is one of <paramref name="words"/>, without consuming it.</summary>
    public bool PeekIs(IEnumerable<string> words) => !AtEnd && words.Contains(tokens[position].Text);

    public void ExpectEnd()
    {
        if (!AtEnd)
        {
            var extra = tokens[position];
            throw new SyntaxException(extra.Column, $"unexpected {Excerpt.Quote(extra.Text)} at the end of the statement");
        }
    }

    public void Keyword(string keyword)
    {
        var token = Next($"{Excerpt.Quote(keyword)}");
        if (token.Text != keyword)
        {
            throw new SyntaxException(token.Column, $"expected {Excerpt.Quote(keyword)}, got {Excerpt.Quote(token.Text)}");
        }
    }

    public Token Name(string what)
    {
        var token = Next(what);
        return Syntax.IsName(token.Text)
            ? token
            : throw new SyntaxException(token.Column, $"expected {what} (a name), got {Excerpt.Quote(token.Text)}");
    }

    /// <summary>A byte address. Alignment is the model's business (it answers <c>EINVAL</c>), not the parser's.</summary>
    public ulong Address() => Number(Next("address"), "an address");

    /// <summary>A number of pages of a range, 1..<see cref="MachineConfig.MaxRangePages"/> (the address space).</summary>
    public int PageCount() => PageCount(Next("page count"));

    public int Count(string what) => (int)Bounded(Next(what), what, 0, int.MaxValue);

    public byte Byte() => ByteValue(Next("byte value"));

    public Prot Prot()
    {
        var token = Next("protection (none, r or rw)");
        return Syntax.TryParseProt(token.Text, out var prot)
            ? prot
            : throw new SyntaxException(token.Column, $"expected a protection (none, r or rw), got {Excerpt.Quote(token.Text)}");
    }

    public static ulong Number(Token token, string what) =>
        Syntax.TryParseNumber(token.Text, out var value)
            ? value
            : throw new SyntaxException(token.Column, $"expected {what} (decimal or 0x hex), got {Excerpt.Quote(token.Text)}");

    public static int PageCount(Token token) =>
        Size(token, token.Text, "a page count", MachineConfig.MaxRangePages, "of address space");

    /// <summary>
    /// A count of pages, at least 1 and at most <paramref name="max"/> (one of <see cref="MachineConfig"/>'s maxima,
    /// which the model can honour), possibly written inside a larger token (<c>pages=N</c>): the error points at
    /// the token and says how much memory the count would need.
    /// </summary>
    public static int Size(Token token, string text, string what, int max, string memory, int min = 1)
    {
        if (!Syntax.TryParseNumber(text, out var value))
        {
            throw new SyntaxException(token.Column, IsTooLong(text)
                ? $"{what} must be at most {max} ({MachineConfig.Bytes(max)} {memory}); {Excerpt.Quote(text)} is far more"
                : $"expected {what} (decimal or 0x hex), got {Excerpt.Quote(text)}");
        }
        if (value < (ulong)min)
        {
            throw new SyntaxException(token.Column, $"{what} must be at least {min}");
        }
        return value > (ulong)max
            ? throw new SyntaxException(token.Column, MachineConfig.SizeProblem(what, (long)Math.Min(value, long.MaxValue), min, max, memory)!)
            : (int)value;
    }

    /// <summary>A number of digits that only failed to parse because it does not fit 64 bits.</summary>
    private static bool IsTooLong(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? text.Length > 18 && text.AsSpan(2).IndexOfAnyExcept("0123456789abcdefABCDEF") < 0
            : text.Length > 19 && text.AsSpan().IndexOfAnyExcept("0123456789") < 0;

    public static byte ByteValue(Token token, string? text = null) =>
        (byte)Bounded(token, text ?? token.Text, "a byte", 0, 255);

    public static long Bounded(Token token, string what, long min, long max) =>
        Bounded(token, token.Text, what, min, max);

    public static long Bounded(Token token, string text, string what, long min, long max)
    {
        if (!Syntax.TryParseNumber(text, out var value))
        {
            throw new SyntaxException(token.Column, $"expected {what} (decimal or 0x hex), got {Excerpt.Quote(text)}");
        }
        if (value < (ulong)min || value > (ulong)max)
        {
            throw new SyntaxException(token.Column, $"{what} must be {min}..{max}, got {Excerpt.Of(text)}");
        }
        return (long)value;
    }
}
