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
            throw new SyntaxException(extra.Column, $"unexpected '{extra.Text}' at the end of the statement");
        }
    }

    public void Keyword(string keyword)
    {
        var token = Next($"'{keyword}'");
        if (token.Text != keyword)
        {
            throw new SyntaxException(token.Column, $"expected '{keyword}', got '{token.Text}'");
        }
    }

    public Token Name(string what)
    {
        var token = Next(what);
        return Syntax.IsName(token.Text)
            ? token
            : throw new SyntaxException(token.Column, $"expected {what} (a name), got '{token.Text}'");
    }

    /// <summary>A byte address. Alignment is the model's business (it answers <c>EINVAL</c>), not the parser's.</summary>
    public ulong Address() => Number(Next("address"), "an address");

    /// <summary>A number of pages, at least 1.</summary>
    public int PageCount() => PageCount(Next("page count"));

    public int Count(string what) => (int)Bounded(Next(what), what, 0, int.MaxValue);

    public byte Byte() => ByteValue(Next("byte value"));

    public Prot Prot()
    {
        var token = Next("protection (none, r or rw)");
        return Syntax.TryParseProt(token.Text, out var prot)
            ? prot
            : throw new SyntaxException(token.Column, $"expected a protection (none, r or rw), got '{token.Text}'");
    }

    public static ulong Number(Token token, string what) =>
        Syntax.TryParseNumber(token.Text, out var value)
            ? value
            : throw new SyntaxException(token.Column, $"expected {what} (decimal or 0x hex), got '{token.Text}'");

    public static int PageCount(Token token) => PageCount(token, token.Text);

    /// <summary>A page count written inside a larger token (<c>pages=N</c>): the error still points at the token.</summary>
    public static int PageCount(Token token, string text)
    {
        var value = Bounded(token, text, "a page count", 0, int.MaxValue);
        return value >= 1
            ? (int)value
            : throw new SyntaxException(token.Column, "a page count must be at least 1");
    }

    public static byte ByteValue(Token token, string? text = null) =>
        (byte)Bounded(token, text ?? token.Text, "a byte", 0, 255);

    public static long Bounded(Token token, string what, long min, long max) =>
        Bounded(token, token.Text, what, min, max);

    public static long Bounded(Token token, string text, string what, long min, long max)
    {
        if (!Syntax.TryParseNumber(text, out var value))
        {
            throw new SyntaxException(token.Column, $"expected {what} (decimal or 0x hex), got '{text}'");
        }
        if (value < (ulong)min || value > (ulong)max)
        {
            throw new SyntaxException(token.Column, $"{what} must be {min}..{max}, got {text}");
        }
        return (long)value;
    }
}
