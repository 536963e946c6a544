using System.Text.Json;
using FaultLab.Profiling.Model;
using FaultLab.Profiling.Writers;

namespace FaultLab.Profiling.Tests;

public class SpeedscopeWriterTests
{
    private static readonly StackProfile Sample = StackProfile.From(("m;f;g", 4), ("m;f", 1), ("m;h", 2), ("n", 3));

    [Fact]
    public void A_recordings_samples_are_written_one_by_one_in_the_order_they_were_taken()
    {
        // A, B, A again: merged stacks would say A 2, B 1; the time order keeps the B between.
        var trace = new Parsing.RawTrace(
        [
            Parsing.RawSample.Of(1, true, "Host!Loop", "M!A"),
            Parsing.RawSample.Of(1, true, "Host!Loop", "M!B"),
            Parsing.RawSample.Of(1, true, "Host!Loop", "M!A"),
        ], 0);
        var built = Parsing.ProfileBuilder.Build(trace, loopMethod: null);

        using var json = JsonDocument.Parse(SpeedscopeWriter.TimelineText(built.Timeline!, "x"));

        var frames = json.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        var profile = json.RootElement.GetProperty("profiles")[0];
        var leaves = profile.GetProperty("samples").EnumerateArray().Select(s => frames[s.EnumerateArray().Last().GetInt32()]).ToList();
        Assert.Equal(["M!A", "M!B", "M!A"], leaves);
        Assert.Equal([1, 1, 1], profile.GetProperty("weights").EnumerateArray().Select(w => w.GetInt32()));
        Assert.Equal(3, profile.GetProperty("endValue").GetInt32());
        Assert.Equal(2, built.Profile.Stacks.Single(s => s.Frames[^1] == "M!A").Count); // the flame graph's view is merged
    }

    [Fact]
    public void Has_the_fields_the_schema_requires()
    {
        using var json = JsonDocument.Parse(SpeedscopeWriter.ToText(Sample, "soft-refault"));
        var root = json.RootElement;

        Assert.Equal("https://www.speedscope.app/file-format-schema.json", root.GetProperty("$schema").GetString());
        Assert.All(root.GetProperty("shared").GetProperty("frames").EnumerateArray(),
            frame => Assert.Equal(JsonValueKind.String, frame.GetProperty("name").ValueKind));
        var profile = Assert.Single(root.GetProperty("profiles").EnumerateArray());
        Assert.Equal("sampled", profile.GetProperty("type").GetString());
        Assert.Equal("soft-refault", profile.GetProperty("name").GetString());
        Assert.Equal("none", profile.GetProperty("unit").GetString());
        Assert.Equal(0, profile.GetProperty("startValue").GetDouble());
        Assert.Equal(10, profile.GetProperty("endValue").GetDouble());
        Assert.Equal(profile.GetProperty("samples").GetArrayLength(), profile.GetProperty("weights").GetArrayLength());
        Assert.Equal(0, root.GetProperty("activeProfileIndex").GetInt32());
    }

    [Fact]
    public void Samples_are_root_first_frame_indexes_into_one_shared_table()
    {
        using var json = JsonDocument.Parse(SpeedscopeWriter.ToText(Sample, "x"));
        var frames = json.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()!).ToList();
        var profile = json.RootElement.GetProperty("profiles")[0];
        var stacks = profile.GetProperty("samples").EnumerateArray()
            .Select(s => string.Join(';', s.EnumerateArray().Select(i => frames[i.GetInt32()])))
            .Zip(profile.GetProperty("weights").EnumerateArray().Select(w => w.GetInt64()))
            .Select(p => $"{p.First} {p.Second}\n");

        Assert.Equal(FoldedFormat.ToText(Sample), string.Concat(stacks));
        Assert.Equal(frames.Distinct().Count(), frames.Count);
        Assert.Equal(["m", "f", "g", "h", "n"], frames);
    }

    [Fact]
    public void Is_deterministic()
    {
        var reordered = StackProfile.From(Sample.Stacks.Reverse().Select(s => ((IReadOnlyList<string>)s.Frames, s.Count)));

        Assert.Equal(SpeedscopeWriter.ToText(Sample, "x"), SpeedscopeWriter.ToText(reordered, "x"));
    }
}
