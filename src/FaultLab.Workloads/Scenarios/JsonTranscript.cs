using System.Buffers;
using System.Text;
using System.Text.Json;
using static FaultLab.Workloads.Scenarios.Syntax;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The transcript as JSON (<c>--json</c>): an array of files, each
/// <c>{ "file", "statements": [ { "line", "text", "outcome", KEYS..., "prot", "value", "ok", "failures" } ],
/// "failed", "errors" }</c>, where KEYS are the count keys of the file's family (netbsd: "restarts", "neighbors").
/// Keys that do not apply are null, so every statement of a file has the same shape. Written with <see cref="Utf8JsonWriter"/>: no reflection, nothing for the trimmer to warn about.
/// </summary>
public static class JsonTranscript
{
    public static void Write(IEnumerable<ScenarioResult> results, TextWriter output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var result in results)
            {
                WriteFile(json, result);
            }
            json.WriteEndArray();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteFile(Utf8JsonWriter json, ScenarioResult result)
    {
        json.WriteStartObject();
        json.WriteString("file", result.File);
        json.WriteStartArray("statements");
        foreach (var statement in result.Statements)
        {
            WriteStatement(json, statement, result.Family);
        }
        json.WriteEndArray();
        json.WriteNumber("failed", result.Failed);
        WriteStrings(json, "errors", result.Errors);
        json.WriteEndObject();
    }

    private static void WriteStatement(Utf8JsonWriter json, StatementResult statement, FaultLab.Core.MachineFamily family)
    {
        json.WriteStartObject();
        json.WriteNumber("line", statement.Line);
        json.WriteString("text", statement.Text);
        json.WriteString("outcome", statement.Outcome);
        foreach (var key in family.Keys)
        {
            var given = statement.Keys.Where(k => k.Key == key.Name).Select(k => (int?)k.Value).FirstOrDefault();
            WriteNumberOrNull(json, key.Name, given);
        }
        if (statement.Prot is { } prot)
        {
            json.WriteString("prot", ProtName(prot));
        }
        else
        {
            json.WriteNull("prot");
        }
        WriteNumberOrNull(json, "value", statement.Value);
        json.WriteBoolean("ok", statement.Ok);
        WriteStrings(json, "failures", statement.Failures);
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }
}
