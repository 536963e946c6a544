using System.Text.Json;
using System.Text.Json.Serialization;
using FaultLab.Workloads.Output;

namespace FaultLab.Benchmarks.Results;

/// <summary>results.json: reading and writing a <see cref="BenchReport"/>.</summary>
public static class ResultJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IgnoreReadOnlyProperties = true,
        RespectNullableAnnotations = true,
        Converters = { new CompactArrayConverter() },
        // KernelFaultResult.NsPerFault is NaN when the kernel counted no fault.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML
    };

    public static string Serialize(BenchReport report) => JsonSerializer.Serialize(report, Options) + "\n";

    /// <summary>Parses results.json text; a <see cref="ResultReadException"/> says what is wrong with it.</summary>
    public static BenchReport Deserialize(string json, string source)
    {
        BenchReport? report;
        try
        {
            report = JsonSerializer.Deserialize<BenchReport>(json, Options);
        }
        catch (JsonException e)
        {
            throw new ResultReadException($"{source}: not a faultlab results file: {e.Message}");
        }
        if (report is null)
            throw new ResultReadException($"{source}: not a faultlab results file");
        if (report.Schema != BenchReport.CurrentSchema)
            throw new ResultReadException($"{source}: schema '{report.Schema}', expected '{BenchReport.CurrentSchema}'");
        return report;
    }

    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/> (for a regular file: through a
    /// temporary file, so that a reader never sees half of it).</summary>
    public static void Write(BenchReport report, OutputPath output) => output.WriteText(Serialize(report));

    /// <summary>Writes <paramref name="report"/> to the file <paramref name="path"/>, checked first.</summary>
    public static void Write(BenchReport report, string path) => Write(report, OutputPath.ForFile(path, "results file"));

    /// <summary>Reads results.json, or the results.json of a result-set directory.</summary>
    public static BenchReport Read(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, ResultSet.JsonFile) : path;
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultReadException($"{file}: {e.Message}");
        }
        return Deserialize(text, file);
    }
}

/// <summary>A results file or result set could not be read.</summary>
public sealed class ResultReadException(string message) : Exception(message);
