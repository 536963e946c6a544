using System.Text.Json;
using FaultLab.Core;
using FaultLab.Workloads.Scenarios;

namespace FaultLab.Workloads.Tests.Scenarios;

public class TranscriptTests
{
    private static readonly ScenarioResult Sample = new(
        "s.flt",
        [
            new StatementResult(3, "proc p1", "ok"),
            new StatementResult(12, "p2 write 0x10000 0xab", "1B") { Keys = [("restarts", 1), ("neighbors", 0)], Prot = Prot.ReadWrite },
            new StatementResult(13, "p1 read 0x10000", "hit") { Prot = Prot.Read, Value = 0x41 },
            new StatementResult(14, "expect counter flt_acow 1", "2") { Failures = ["expected counter flt_acow 1, got 2"] },
            new StatementResult(15, "p1 read 0x5000", "EFAULT") { Keys = [("restarts", 0), ("neighbors", 0)], Failures = ["expected ok, got EFAULT"] },
        ],
        []);

    private static string Text(ScenarioResult result)
    {
        var output = new StringWriter { NewLine = "\n" };
        TextTranscript.Write(result, output);
        return output.ToString();
    }

    [Fact]
    public void Text_transcript_has_one_line_per_statement_failures_after_their_line_and_a_summary()
    {
        Assert.Equal(
            """
            3: proc p1 => ok
            12: p2 write 0x10000 0xab => 1B restarts=1 neighbors=0 prot=rw
            13: p1 read 0x10000 => hit prot=r value=0x41
            14: expect counter flt_acow 1 => 2
            s.flt:14: expected counter flt_acow 1, got 2
            15: p1 read 0x5000 => EFAULT restarts=0 neighbors=0
            s.flt:15: expected ok, got EFAULT
            s.flt: 5 statements, 2 failed

            """,
            Text(Sample));
    }

    [Fact]
    public void Failures_only_transcript_keeps_the_failures_and_the_summary()
    {
        var output = new StringWriter { NewLine = "\n" };
        TextTranscript.WriteFailures(Sample, output);

        Assert.Equal(
            "s.flt:14: expected counter flt_acow 1, got 2\ns.flt:15: expected ok, got EFAULT\ns.flt: 5 statements, 2 failed\n",
            output.ToString());
    }

    [Fact]
    public void Json_transcript_is_an_array_of_files_with_statements_of_one_shape()
    {
        var output = new StringWriter();
        JsonTranscript.Write([Sample, ScenarioResult.NotRun("bad.flt", ["bad.flt:1:1: unknown statement 'x'"])], output);

        using var json = JsonDocument.Parse(output.ToString());
        var files = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, files.Length);

        var file = files[0];
        Assert.Equal("s.flt", file.GetProperty("file").GetString());
        Assert.Equal(2, file.GetProperty("failed").GetInt32());
        Assert.Empty(file.GetProperty("errors").EnumerateArray());

        var statements = file.GetProperty("statements").EnumerateArray().ToArray();
        Assert.Equal(5, statements.Length);
        var keys = new[] { "line", "text", "outcome", "restarts", "neighbors", "prot", "value", "ok", "failures" };
        Assert.All(statements, s => Assert.Equal(keys, s.EnumerateObject().Select(p => p.Name)));

        var write = statements[1];
        Assert.Equal(12, write.GetProperty("line").GetInt32());
        Assert.Equal("p2 write 0x10000 0xab", write.GetProperty("text").GetString());
        Assert.Equal("1B", write.GetProperty("outcome").GetString());
        Assert.Equal(1, write.GetProperty("restarts").GetInt32());
        Assert.Equal(0, write.GetProperty("neighbors").GetInt32());
        Assert.Equal("rw", write.GetProperty("prot").GetString());
        Assert.Equal(JsonValueKind.Null, write.GetProperty("value").ValueKind);
        Assert.True(write.GetProperty("ok").GetBoolean());

        var read = statements[2];
        Assert.Equal(0x41, read.GetProperty("value").GetInt32());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("restarts").ValueKind);

        var failed = statements[3];
        Assert.False(failed.GetProperty("ok").GetBoolean());
        Assert.Equal(["expected counter flt_acow 1, got 2"], failed.GetProperty("failures").EnumerateArray().Select(f => f.GetString()));

        var notRun = files[1];
        Assert.Empty(notRun.GetProperty("statements").EnumerateArray());
        Assert.Equal(0, notRun.GetProperty("failed").GetInt32());
        Assert.Equal(["bad.flt:1:1: unknown statement 'x'"], notRun.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Result_counts_failed_statements_not_failures()
    {
        var twice = new ScenarioResult("f.flt", [new StatementResult(1, "p1 read 0x0", "1A") { Failures = ["a", "b"] }], []);

        Assert.Equal(1, twice.Failed);
        Assert.False(twice.Passed);
    }
}
