using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>What a statement's <c>=&gt;</c> clause may say: accesses report a fault case and keys, the rest ok/errno.</summary>
internal enum OutcomeShape
{
    Read,
    Write,
    Operation,
}

/// <summary>Parses the tokens after <c>=&gt;</c>: <c>OUTCOME [key=value ...]</c>.</summary>
internal static class OutcomeParser
{
    public static ExpectedOutcome Parse(Token arrow, ImmutableArray<Token> tokens, OutcomeShape shape)
    {
        if (tokens.IsEmpty)
        {
            throw new SyntaxException(arrow.EndColumn, "missing outcome after '=>'");
        }

        var outcome = ParseName(tokens[0], shape);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens.AsSpan()[1..])
        {
            outcome = WithKey(outcome, token, shape, seen);
        }
        return outcome;
    }

    private static ExpectedOutcome ParseName(Token token, OutcomeShape shape)
    {
        if (Syntax.TryParseError(token.Text, out var error))
        {
            return new ExpectedOutcome(token, error, Case: null);
        }
        if (shape == OutcomeShape.Operation)
        {
            return token.Text == "ok"
                ? new ExpectedOutcome(token, Errno.OK, Case: null)
                : throw new SyntaxException(token.Column, $"expected 'ok' or an error name, got {Excerpt.Quote(token.Text)}");
        }
        return Syntax.TryParseCase(token.Text, out var faultCase)
            ? new ExpectedOutcome(token, Errno.OK, faultCase)
            : throw new SyntaxException(token.Column,
                $"expected hit, 1A, 1B, 2A, 2B or an error name, got {Excerpt.Quote(token.Text)}");
    }

    private static ExpectedOutcome WithKey(ExpectedOutcome outcome, Token token, OutcomeShape shape, HashSet<string> seen)
    {
        if (shape == OutcomeShape.Operation)
        {
            throw new SyntaxException(token.Column, $"unexpected {Excerpt.Quote(token.Text)}: only read and write outcomes take keys");
        }

        var equals = token.Text.IndexOf('=');
        if (equals <= 0)
        {
            throw new SyntaxException(token.Column, $"expected key=value, got {Excerpt.Quote(token.Text)}");
        }
        var key = token.Text[..equals];
        var text = token.Text[(equals + 1)..];
        if (!seen.Add(key))
        {
            throw new SyntaxException(token.Column, $"key {Excerpt.Quote(key)} given twice");
        }

        // An access that failed mapped nothing and read nothing: only its pass counts can be compared.
        var failed = outcome.Error != Errno.OK;
        return key switch
        {
            "restarts" => outcome with { Restarts = (int)TokenCursor.Bounded(token, text, "restarts", 0, int.MaxValue) },
            "neighbors" => outcome with { Neighbors = (int)TokenCursor.Bounded(token, text, "neighbors", 0, int.MaxValue) },
            "prot" when failed => throw NotForErrors(token, key),
            "prot" => outcome with { Prot = ParseProt(token, text) },
            "value" when shape == OutcomeShape.Write =>
                throw new SyntaxException(token.Column, "key 'value' is for reads only"),
            "value" when failed => throw NotForErrors(token, key),
            "value" => outcome with { Value = TokenCursor.ByteValue(token, text) },
            _ => throw new SyntaxException(token.Column,
                $"unknown key {Excerpt.Quote(key)}; known: restarts, neighbors, prot{(shape == OutcomeShape.Read ? ", value" : "")}"),
        };
    }

    private static Prot ParseProt(Token token, string text) =>
        Syntax.TryParseProt(text, out var prot)
            ? prot
            : throw new SyntaxException(token.Column, $"expected prot=none, prot=r or prot=rw, got {Excerpt.Quote(token.Text)}");

    private static SyntaxException NotForErrors(Token token, string key) =>
        new(token.Column, $"key {Excerpt.Quote(key)} does not apply to an error outcome");
}
