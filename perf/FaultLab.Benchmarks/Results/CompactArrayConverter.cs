using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaultLab.Benchmarks.Results;

/// <summary>Writes a list of samples on one line, so that results.json stays readable with one row per screen.</summary>
internal sealed class CompactArrayConverter : JsonConverter<IReadOnlyList<double>>
{
    public override IReadOnlyList<double>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<double[]>(ref reader, options);

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<double> value, JsonSerializerOptions options) =>
        writer.WriteRawValue("[" + string.Join(", ", value.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]");
}
