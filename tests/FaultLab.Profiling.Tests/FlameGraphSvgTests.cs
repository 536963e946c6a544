using System.Text.RegularExpressions;
using System.Xml.Linq;
using FaultLab.Profiling.Model;
using FaultLab.Profiling.Writers;

namespace FaultLab.Profiling.Tests;

public class FlameGraphSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly StackProfile Sample = StackProfile.From(
        ("Host!Loop;W!Soft.RunBatch;C!Machine.Read;C!UvmFault.FaultPass", 6),
        ("Host!Loop;W!Soft.RunBatch;C!Machine.Mprotect", 3),
        ("Host!Loop;W!Soft.RunBatch", 1));

    private static readonly FlameGraphStyle Style = new() { Title = "soft-refault on the specialized path", Subtitle = "10 samples" };

    private static XDocument Render(StackProfile profile, FlameGraphStyle? style = null) =>
        XDocument.Parse(FlameGraphSvg.Render(profile, style ?? Style));

    private static List<XElement> Frames(XDocument svg) =>
        svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "frame").ToList();

    [Fact]
    public void Is_well_formed_svg_with_one_group_per_frame()
    {
        var svg = Render(Sample);

        Assert.Equal(Svg + "svg", svg.Root!.Name);
        // all, Loop, RunBatch, Read, FaultPass, Mprotect
        var frames = Frames(svg);
        Assert.Equal(FlameTree.Build(Sample).DepthFirst().Count(), frames.Count);
        Assert.Equal(6, frames.Count);
        Assert.All(frames, g =>
        {
            Assert.NotNull(g.Element(Svg + "title"));
            Assert.NotNull(g.Element(Svg + "rect"));
            Assert.NotNull(g.Element(Svg + "text"));
        });
    }

    [Fact]
    public void Tooltips_give_samples_and_share()
    {
        var titles = Frames(Render(Sample)).Select(g => g.Element(Svg + "title")!.Value).ToList();

        Assert.Contains("all (10 samples, 100.00%)", titles);
        Assert.Contains("C!Machine.Read (6 samples, 60.00%)", titles);
        Assert.Contains("C!Machine.Mprotect (3 samples, 30.00%)", titles);
        Assert.All(titles, t => Assert.Matches(@"^.+ \(\d+ samples?, \d+\.\d\d%\)$", t));
    }

    [Fact]
    public void Shows_title_subtitle_and_the_interactive_controls()
    {
        var svg = Render(Sample);
        string TextOf(string id) => svg.Descendants(Svg + "text").Single(t => (string?)t.Attribute("id") == id).Value;

        Assert.Equal("soft-refault on the specialized path", TextOf("title"));
        Assert.Equal("10 samples", TextOf("subtitle"));
        Assert.Equal("Reset Zoom", TextOf("reset"));
        Assert.Equal("Search", TextOf("search"));
        Assert.NotNull(svg.Descendants(Svg + "text").SingleOrDefault(t => (string?)t.Attribute("id") == "matched"));

        var script = svg.Root!.Element(Svg + "script")!.Value;
        foreach (var function in new[] { "function init(", "function zoomTo(", "function resetZoom(", "function search(", "function clearSearch(" })
        {
            Assert.Contains(function, script);
        }
        Assert.Contains("Matched: ", script);
        Assert.Equal("init(evt)", (string?)svg.Root.Attribute("onload"));
    }

    [Fact]
    public void Widths_are_proportional_to_samples_and_callees_sit_above_callers()
    {
        var frames = Frames(Render(Sample)).ToDictionary(
            g => Regex.Replace(g.Element(Svg + "title")!.Value, @" \(.*\)$", ""),
            g => g.Element(Svg + "rect")!);
        double Width(string name) => double.Parse((string)frames[name].Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        double Y(string name) => double.Parse((string)frames[name].Attribute("y")!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(1180, Width("all"), 3);
        Assert.Equal(0.6 * 1180, Width("C!Machine.Read"), 3);
        Assert.Equal(0.3 * 1180, Width("C!Machine.Mprotect"), 3);
        Assert.True(Y("all") > Y("Host!Loop"));
        Assert.True(Y("C!Machine.Read") > Y("C!UvmFault.FaultPass"));
        Assert.Equal(Y("C!Machine.Read"), Y("C!Machine.Mprotect"));
    }

    [Fact]
    public void Is_deterministic()
    {
        var reordered = StackProfile.From(Sample.Stacks.Reverse().Select(s => ((IReadOnlyList<string>)s.Frames, s.Count)));

        Assert.Equal(FlameGraphSvg.Render(Sample, Style), FlameGraphSvg.Render(Sample, Style));
        Assert.Equal(FlameGraphSvg.Render(Sample, Style), FlameGraphSvg.Render(reordered, Style));
    }

    [Fact]
    public void Colours_are_warm_and_follow_the_name()
    {
        var fills = Frames(Render(Sample)).ToDictionary(
            g => g.Element(Svg + "title")!.Value,
            g => (string)g.Element(Svg + "rect")!.Attribute("fill")!);

        Assert.All(fills.Values, fill =>
        {
            var rgb = Regex.Match(fill, @"^rgb\((\d+),(\d+),(\d+)\)$");
            Assert.True(rgb.Success, fill);
            int r = int.Parse(rgb.Groups[1].Value), g = int.Parse(rgb.Groups[2].Value), b = int.Parse(rgb.Groups[3].Value);
            Assert.InRange(r, 205, 255);
            Assert.InRange(g, 0, 230);
            Assert.InRange(b, 0, 55);
        });
        Assert.Equal(FrameColors.Warm("C!Machine.Read"), FrameColors.Warm("C!Machine.Read"));
        Assert.Equal(FrameColors.Warm("C!Machine.Read").ToString(), fills["C!Machine.Read (6 samples, 60.00%)"]);
        // A fixed hash, not string.GetHashCode: the same name gets the same colour in every process.
        Assert.Equal(0x811C9DC5u, FrameColors.Fnv1a(""));
    }

    [Fact]
    public void Names_are_escaped_and_labels_cut_to_fit()
    {
        var profile = StackProfile.From(("M!List<T>.Add&Co;M!" + new string('x', 400), 1));

        var svg = Render(profile);

        var titles = Frames(svg).Select(g => g.Element(Svg + "title")!.Value).ToList();
        Assert.Contains("M!List<T>.Add&Co (1 sample, 100.00%)", titles);
        Assert.All(Frames(svg), g => Assert.True(g.Element(Svg + "text")!.Value.Length <= 1180 / 7));
        Assert.EndsWith("..", Frames(svg).Last().Element(Svg + "text")!.Value);
        Assert.Equal("", FlameGraphSvg.Label("M!Something", 10));
    }

    [Theory]
    [InlineData("FaultCore!FaultLab.Core.Machine.Read", "Machine.Read")]
    [InlineData("FaultCore!FaultLab.Core.UvmFault+nowire_random_cow.FaultPass", "UvmFault+nowire_random_cow.FaultPass")]
    [InlineData("FaultCore!FaultLab.Core.AccessResult..ctor", "AccessResult..ctor")]
    [InlineData("Main", "Main")]
    [InlineData("M!Type.Method", "Type.Method")]
    public void Labels_are_the_short_type_and_method_and_the_tooltip_the_full_name(string name, string shortName)
    {
        Assert.Equal(shortName, FlameGraphSvg.ShortName(name));
        Assert.Equal(shortName, FlameGraphSvg.Label(name, 1000));
        Assert.Equal(shortName, FlameGraphSvg.Label(name, 6 + 7.08 * (shortName.Length + 1)));
        if (shortName.Length > 5)
            Assert.Equal(shortName[..3] + "..", FlameGraphSvg.Label(name, 6 + 7.08 * 5.5));
        var svg = XDocument.Parse(FlameGraphSvg.Render(StackProfile.From((name, 4)), new FlameGraphStyle { Title = "t" }));
        var frame = svg.Descendants(Svg + "g").Single(g => g.Element(Svg + "title")?.Value.StartsWith(name + " (") == true);
        Assert.StartsWith(name + " (4 samples", frame.Element(Svg + "title")!.Value);
        Assert.Equal(shortName, frame.Element(Svg + "text")!.Value);
    }

    [Fact]
    public void Inverted_puts_the_root_at_the_top_and_minwidth_drops_narrow_frames()
    {
        var profile = StackProfile.From(("root;wide", 999), ("root;narrow", 1));
        var normal = XDocument.Parse(FlameGraphSvg.Render(profile, new FlameGraphStyle { Title = "t", MinWidth = 0 }));
        var inverted = XDocument.Parse(FlameGraphSvg.Render(profile, new FlameGraphStyle { Title = "t", Inverted = true, MinWidth = 5 }));

        double Y(XDocument svg, string frame) => (double)svg.Descendants(Svg + "g")
            .Single(g => g.Element(Svg + "title")?.Value.StartsWith(frame + " (") == true).Element(Svg + "rect")!.Attribute("y")!;
        Assert.True(Y(normal, "root") > Y(normal, "wide")); // root at the bottom
        Assert.True(Y(inverted, "root") < Y(inverted, "wide")); // root at the top
        Assert.Contains(normal.Descendants(Svg + "title"), t => t.Value.StartsWith("narrow ("));
        Assert.DoesNotContain(inverted.Descendants(Svg + "title"), t => t.Value.StartsWith("narrow (")); // 1.2 px < 5 px
        Assert.Contains("INVERTED = true", inverted.ToString());
    }

    [Fact]
    public void Search_ignores_case_and_width_zero_fills_the_window()
    {
        var svg = FlameGraphSvg.Render(StackProfile.From(("a;b", 1)), new FlameGraphStyle { Title = "t", Width = 0 });

        Assert.Contains("new RegExp(term, \"i\")", svg);
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal("100%", (string?)root.Attribute("width"));
        Assert.Null(root.Attribute("height"));
        Assert.StartsWith("0 0 1200 ", (string?)root.Attribute("viewBox"));
    }

    [Fact]
    public void An_empty_profile_says_so()
    {
        var svg = Render(StackProfile.Empty);

        Assert.Empty(Frames(svg));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "no samples");
    }
}
