using System.Text.Encodings.Web;
using System.Text.Json;
using FaultLab.Profiling.Model;

namespace FaultLab.Profiling.Writers;

/// <summary>
/// Writes a profile in speedscope's file format (https://www.speedscope.app/file-format-schema.json): one
/// <c>sampled</c> profile over one shared frame table in order of first appearance. A recording's samples are
/// written one by one in the order they were taken (<see cref="WriteTimeline"/>), so speedscope's time-order view
/// shows the run as it went; a profile with no timeline (a folded file) is written as its distinct stacks weighted
/// by their counts. Deterministic like the profile itself.
/// </summary>
public static class SpeedscopeWriter
{
    public const string Schema = "https://www.speedscope.app/file-format-schema.json";

    public static void Write(StackProfile profile, string name, Stream stream) =>
        Write([.. profile.Stacks.Select(s => (IReadOnlyList<string>)s.Frames)], [.. profile.Stacks.Select(s => s.Count)], name, stream);

    /// <summary>One sample of weight 1 per entry of <paramref name="timeline"/>, in its order (time order).</summary>
    public static void WriteTimeline(IReadOnlyList<IReadOnlyList<string>> timeline, string name, Stream stream) =>
        Write(timeline, [.. timeline.Select(_ => 1L)], name, stream);

    private static void Write(IReadOnlyList<IReadOnlyList<string>> stacks, IReadOnlyList<long> weights, string name, Stream stream)
    {
        var frames = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = new List<int[]>(stacks.Count);
        foreach (var stack in stacks)
        {
            samples.Add(stack.Select(frame =>
            {
                if (!index.TryGetValue(frame, out var i))
                {
                    i = frames.Count;
                    frames.Add(frame);
                    index.Add(frame, i);
                }
                return i;
            }).ToArray());
        }

        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("$schema", Schema);
        json.WriteString("name", name);
        json.WriteString("exporter", "faultlab");
        json.WriteNumber("activeProfileIndex", 0);
        json.WriteStartObject("shared");
        json.WriteStartArray("frames");
        foreach (var frame in frames)
        {
            json.WriteStartObject();
            json.WriteString("name", frame);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("profiles");
        json.WriteStartObject();
        json.WriteString("type", "sampled");
        json.WriteString("name", name);
        json.WriteString("unit", "none");
        json.WriteNumber("startValue", 0);
        json.WriteNumber("endValue", weights.Sum());
        json.WriteStartArray("samples");
        foreach (var sample in samples)
        {
            json.WriteStartArray();
            foreach (var frame in sample)
            {
                json.WriteNumberValue(frame);
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteStartArray("weights");
        foreach (var weight in weights)
        {
            json.WriteNumberValue(weight);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    public static string TimelineText(IReadOnlyList<IReadOnlyList<string>> timeline, string name)
    {
        using var buffer = new MemoryStream();
        WriteTimeline(timeline, name, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string ToText(StackProfile profile, string name)
    {
        using var buffer = new MemoryStream();
        Write(profile, name, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
