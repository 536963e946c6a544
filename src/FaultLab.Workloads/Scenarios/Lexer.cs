using System.Collections.Immutable;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// Splits scenario text into lines of tokens: one statement per line, tokens separated by spaces or tabs,
/// <c>#</c> to the end of the line is a comment. Blank and comment-only lines yield no line at all.
/// </summary>
public static class Lexer
{
    public static ImmutableArray<ImmutableArray<Token>> Tokenize(string text)
    {
        var lines = ImmutableArray.CreateBuilder<ImmutableArray<Token>>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var tokens = TokenizeLine(rawLine.TrimEnd('\r'), lineNumber);
            if (tokens.Length > 0)
            {
                lines.Add(tokens);
            }
        }
        return lines.ToImmutable();
    }

    private static ImmutableArray<Token> TokenizeLine(string line, int lineNumber)
    {
        var comment = line.IndexOf('#');
        if (comment >= 0)
        {
            line = line[..comment];
        }

        var tokens = ImmutableArray.CreateBuilder<Token>();
        var i = 0;
        while (i < line.Length)
        {
            if (IsSeparator(line[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < line.Length && !IsSeparator(line[i]))
            {
                i++;
            }
            tokens.Add(new Token(line[start..i], lineNumber, start + 1));
        }
        return tokens.ToImmutable();
    }

    private static bool IsSeparator(char c) => c is ' ' or '\t';
}
