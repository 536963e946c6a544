using System.Xml.Linq;
using FaultLab.Profiling.Diff;
using FaultLab.Profiling.Model;
using FaultLab.Profiling.Writers;

namespace FaultLab.Profiling.Tests;

public class FlameDiffTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // A: m;grow 20%, m;shrink 60%, m;same 20% (of 10).  B: m;grow 50%, m;shrink 30%, m;same 20% (of 20).
    private static readonly StackProfile A = StackProfile.From(("m;grow", 2), ("m;shrink", 6), ("m;same", 2));
    private static readonly StackProfile B = StackProfile.From(("m;grow", 10), ("m;shrink", 6), ("m;same", 4));

    private static Dictionary<string, (string Fill, string Title, double Width)> Frames(StackProfile a, StackProfile b) =>
        XDocument.Parse(FlameDiff.RenderSvg(a, b, "a.folded", "b.folded"))
            .Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "frame")
            .ToDictionary(
                g => g.Element(Svg + "title")!.Value.Split(' ')[0],
                g => ((string)g.Element(Svg + "rect")!.Attribute("fill")!, g.Element(Svg + "title")!.Value,
                      double.Parse((string)g.Element(Svg + "rect")!.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture)));

    private static (int R, int G, int B) Rgb(string fill)
    {
        var parts = fill["rgb(".Length..^1].Split(',').Select(int.Parse).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    [Fact]
    public void A_grown_frame_is_red_a_shrunk_one_blue_an_equal_one_neutral()
    {
        var frames = Frames(A, B);

        var grow = Rgb(frames["grow"].Fill);
        Assert.True(grow.R > grow.G && grow.R > grow.B, frames["grow"].Fill);
        var shrink = Rgb(frames["shrink"].Fill);
        Assert.True(shrink.B > shrink.R && shrink.B > shrink.G, frames["shrink"].Fill);
        Assert.Equal(FlameDiff.Neutral.ToString(), frames["same"].Fill);
        Assert.Equal(FlameDiff.Neutral.ToString(), frames["m"].Fill);
        Assert.Equal(FlameDiff.Neutral.ToString(), frames["all"].Fill);
    }

    [Fact]
    public void The_biggest_change_gets_the_strongest_colour()
    {
        // grow: +30 points, shrink: -30 points: both at full strength.
        Assert.Equal(new Rgb(255, 0, 0), FlameDiff.Color(new FlameDiff.Shares(2, 10, 10, 20), 0.3));
        Assert.Equal(new Rgb(0, 0, 255), FlameDiff.Color(new FlameDiff.Shares(6, 10, 6, 20), 0.3));
        // Half the strongest change: paler.
        var pale = FlameDiff.Color(new FlameDiff.Shares(2, 10, 7, 20), 0.3);
        Assert.Equal(255, pale.R);
        Assert.InRange((int)pale.G, 90, 120);
    }

    [Fact]
    public void Widths_follow_B_and_tooltips_give_both_shares()
    {
        var frames = Frames(A, B);

        Assert.Equal(1180 * 10 / 20.0, frames["grow"].Width, 3);
        Assert.Equal("grow (A: 20.00%, B: 50.00%, +30.00 pts; 10 samples in B)", frames["grow"].Title);
        Assert.Equal("shrink (A: 60.00%, B: 30.00%, -30.00 pts; 6 samples in B)", frames["shrink"].Title);
        Assert.Equal("same (A: 20.00%, B: 20.00%, +0.00 pts; 4 samples in B)", frames["same"].Title);
    }

    [Fact]
    public void A_frame_only_B_has_grew_from_nothing()
    {
        var frames = Frames(A, StackProfile.From(("m;grow", 2), ("m;shrink", 6), ("m;same", 2), ("m;new", 1)));

        var fresh = Rgb(frames["new"].Fill);
        Assert.True(fresh.R > fresh.B);
        Assert.StartsWith("new (A: 0.00%, B: 9.09%", frames["new"].Title);
    }

    [Fact]
    public void Equal_shares_are_detected_exactly()
    {
        Assert.Equal(0, new FlameDiff.Shares(1, 3, 2, 6).Direction);
        Assert.Equal(1, new FlameDiff.Shares(1, 3, 3, 6).Direction);
        Assert.Equal(-1, new FlameDiff.Shares(1, 3, 1, 6).Direction);
    }

    [Fact]
    public void The_folded_diff_lists_both_counts_of_every_stack()
    {
        var diff = FlameDiff.Folded(StackProfile.From(("m;a", 2), ("m;b", 1)), StackProfile.From(("m;b", 4), ("m;c", 5)));

        Assert.Equal("m;a 2 0\nm;b 1 4\nm;c 0 5\n", diff);
    }

    [Fact]
    public void The_subtitle_names_both_sides_and_what_A_had_that_B_lacks()
    {
        var svg = XDocument.Parse(FlameDiff.RenderSvg(StackProfile.From(("m;gone", 1), ("m;a", 3)), StackProfile.From(("m;a", 1)), "before", "after"));
        var subtitle = svg.Descendants(Svg + "text").Single(t => (string?)t.Attribute("id") == "subtitle").Value;

        Assert.Contains("A: before (4 samples)", subtitle);
        Assert.Contains("B: after (1 samples)", subtitle);
        Assert.Contains("25.00% of A is on stacks B lacks", subtitle);
    }
}
