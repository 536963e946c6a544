using System.Text;
using static FaultLab.Workloads.Scenarios.Syntax;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The human transcript (SCENARIOS.md): one <c>LINE: STATEMENT =&gt; OUTCOME keys</c> line per statement, each
/// failed expectation right after its statement as <c>FILE:LINE: expected …, got …</c>, and a summary line.
/// </summary>
public static class TextTranscript
{
    /// <summary>Writes the transcript of a file that ran; a file that did not run has only its errors to show.</summary>
    public static void Write(ScenarioResult result, TextWriter output)
    {
        foreach (var statement in result.Statements)
        {
            output.WriteLine($"{statement.Line}: {statement.Text} => {Outcome(statement)}");
            WriteFailures(result.File, statement, output);
        }
        output.WriteLine(Summary(result));
    }

    /// <summary>Only the failed expectations and the summary: what <c>faultlab run</c> shows of each file.</summary>
    public static void WriteFailures(ScenarioResult result, TextWriter output)
    {
        foreach (var statement in result.Statements)
        {
            WriteFailures(result.File, statement, output);
        }
        output.WriteLine(Summary(result));
    }

    public static string Summary(ScenarioResult result) =>
        $"{result.File}: {result.Statements.Length} statements, {result.Failed} failed";

    /// <summary>The outcome word followed by every key that applies, in the order a scenario writes them.</summary>
    public static string Outcome(StatementResult statement)
    {
        var text = new StringBuilder(statement.Outcome);
        foreach (var (key, value) in statement.Keys)
        {
            text.Append(' ').Append(key).Append('=').Append(Count(value));
        }
        if (statement.Prot is { } p)
        {
            text.Append(" prot=").Append(ProtName(p));
        }
        if (statement.Value is { } v)
        {
            text.Append(" value=").Append(Byte(v));
        }
        return text.ToString();
    }

    private static void WriteFailures(string file, StatementResult statement, TextWriter output)
    {
        foreach (var failure in statement.Failures)
        {
            output.WriteLine($"{file}:{statement.Line}: {failure}");
        }
    }
}
