using System.Text.Encodings.Web;
using System.Text.Json;
using FaultLab.Profiling.Model;

namespace FaultLab.Profiling.Writers;

/// <summary>
/// Writes a profile in speedscope's file format (https://www.speedscope.app/file-format-schema.json): one
/// <c>sampled</c> profile whose samples are the distinct stacks (frame indexes, root first) weighted by their
/// counts, over one shared frame table in order of first appearance. Deterministic like the profile itself.
/// </summary>
public static class SpeedscopeWriter
{
    public const string Schema = "https://www.speedscope.app/file-format-schema.json";

    public static void Write(StackProfile profile, string name, Stream stream)
    {
        var frames = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = new List<int[]>(profile.Stacks.Length);
        foreach (var stack in profile.Stacks)
        {
            samples.Add(stack.Frames.Select(frame =>
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
        json.WriteNumber("endValue", profile.TotalSamples);
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
        foreach (var stack in profile.Stacks)
        {
            json.WriteNumberValue(stack.Count);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    public static string ToText(StackProfile profile, string name)
    {
        using var buffer = new MemoryStream();
        Write(profile, name, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
