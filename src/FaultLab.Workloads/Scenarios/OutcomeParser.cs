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
    public static ExpectedOutcome Parse(Token arrow, ImmutableArray<Token> tokens, OutcomeShape shape, Vocabulary vocabulary)
    {
        if (tokens.IsEmpty)
        {
            throw new SyntaxException(arrow.EndColumn, "missing outcome after '=>'");
        }

        var outcome = ParseName(tokens[0], shape, vocabulary);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens.AsSpan()[1..])
        {
            outcome = WithKey(outcome, token, shape, seen, vocabulary);
        }
        return outcome;
    }

    private static ExpectedOutcome ParseName(Token token, OutcomeShape shape, Vocabulary vocabulary)
    {
        if (Syntax.TryParseError(token.Text, out var error))
        {
            return new ExpectedOutcome(token, error, Outcome: null);
        }
        if (shape == OutcomeShape.Operation)
        {
            return token.Text == "ok"
                ? new ExpectedOutcome(token, Errno.OK, Outcome: null)
                : throw new SyntaxException(token.Column, $"expected 'ok' or an error name, got {Excerpt.Quote(token.Text)}");
        }
        var family = vocabulary.Family;
        return family.TryParseOutcome(token.Text, out var outcome)
            ? new ExpectedOutcome(token, Errno.OK, outcome)
            : throw new SyntaxException(token.Column,
                $"expected hit, {string.Join(", ", family.Outcomes)} or an error name for {vocabulary.Machine}, " +
                $"got {Excerpt.Quote(token.Text)}{Vocabulary.Whose(vocabulary.Catalog.OutcomeOwners(token.Text, family), "outcome")}");
    }

    private static ExpectedOutcome WithKey(ExpectedOutcome outcome, Token token, OutcomeShape shape, HashSet<string> seen,
        Vocabulary vocabulary)
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
        var family = vocabulary.Family;
        if (family.Key(key) is { } count)
        {
            var value = (int)TokenCursor.Bounded(token, text, key, 0, int.MaxValue);
            return outcome with { Keys = outcome.Keys.Add(new ExpectedKey(count, value)) };
        }
        return key switch
        {
            "prot" when failed => throw NotForErrors(token, key),
            "prot" => outcome with { Prot = ParseProt(token, text) },
            "value" when shape == OutcomeShape.Write =>
                throw new SyntaxException(token.Column, "key 'value' is for reads only"),
            "value" when failed => throw NotForErrors(token, key),
            "value" => outcome with { Value = TokenCursor.ByteValue(token, text) },
            _ => throw new SyntaxException(token.Column,
                $"unknown key {Excerpt.Quote(key)} for {vocabulary.Machine}" +
                $"{Vocabulary.Whose(vocabulary.Catalog.KeyOwners(key, family), "key")}; known: " +
                $"{string.Join(", ", family.Keys.Select(k => k.Name))}, prot{(shape == OutcomeShape.Read ? ", value" : "")}"),
        };
    }

    private static Prot ParseProt(Token token, string text) =>
        Syntax.TryParseProt(text, out var prot)
            ? prot
            : throw new SyntaxException(token.Column, $"expected prot=none, prot=r or prot=rw, got {Excerpt.Quote(token.Text)}");

    private static SyntaxException NotForErrors(Token token, string key) =>
        new(token.Column, $"key {Excerpt.Quote(key)} does not apply to an error outcome");
}
