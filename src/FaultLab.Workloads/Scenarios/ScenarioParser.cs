using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// Turns the text of a <c>.flt</c> file into a <see cref="Scenario"/>, collecting every error it can find
/// (at most one syntax error per line, plus the static checks of <see cref="NameBinder"/>).
/// </summary>
public static class ScenarioParser
{
    /// <param name="file">The file name as the user gave it: errors are reported against it.</param>
    /// <param name="families">The families <c>machine family=NAME</c> may name (default: the lab's).</param>
    public static Scenario Parse(string file, string text, MachineCatalog? families = null)
    {
        var lines = Lexer.Tokenize(text);
        var statements = ImmutableArray.CreateBuilder<Statement>();
        var errors = new List<ParseError>();
        var binder = new NameBinder(file, lines.IsEmpty ? 0 : lines[0][0].Line);
        var vocabulary = new Vocabulary(families ?? MachineCatalog.BuiltIn);

        foreach (var line in lines)
        {
            try
            {
                var statement = StatementParser.Parse(line, binder.IsKnownProcess, vocabulary);
                binder.Bind(statement);
                statements.Add(statement);
            }
            catch (SyntaxException e)
            {
                errors.Add(new ParseError(file, line[0].Line, e.Column, e.Message));
            }
        }

        errors.AddRange(binder.Errors);
        var sorted = errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToImmutableArray();
        return new Scenario(file, statements.ToImmutable(), sorted, vocabulary.Family);
    }
}
