using FaultLab.Profiling.Model;

namespace FaultLab.Profiling.Tests;

public class FoldedFormatTests
{
    [Fact]
    public void Stacks_are_written_root_first_sorted_with_counts()
    {
        var profile = StackProfile.From(("main;b;c", 2), ("main;a", 5), ("main;b", 1));

        Assert.Equal("main;a 5\nmain;b 1\nmain;b;c 2\n", FoldedFormat.ToText(profile));
    }

    [Fact]
    public void Identical_stacks_merge_and_empty_ones_vanish()
    {
        var profile = StackProfile.From(
            [(["x", "y"], 1), (["x", "y"], 2), ([], 7), (["z"], 0)]);

        var stack = Assert.Single(profile.Stacks);
        Assert.Equal(["x", "y"], stack.Frames.ToArray());
        Assert.Equal(3, stack.Count);
        Assert.Equal(3, profile.TotalSamples);
    }

    [Fact]
    public void Output_does_not_depend_on_the_order_samples_came_in()
    {
        (string, long)[] samples = [("m;f;g", 3), ("m;h", 1), ("m;f", 2), ("m;f;g", 1), ("n", 4)];
        var forward = FoldedFormat.ToText(StackProfile.From(samples));
        var backward = FoldedFormat.ToText(StackProfile.From(samples.Reverse().ToArray()));

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Separators_and_line_breaks_in_names_are_made_safe()
    {
        var profile = StackProfile.From([(["a;b", "c\nd", ""], 1)]);

        Assert.Equal("a,b;c d;? 1\n", FoldedFormat.ToText(profile));
    }

    [Fact]
    public void Parse_reads_what_write_wrote()
    {
        var profile = StackProfile.From(("Mod!A.B.Main;Mod!A.B.Work with spaces", 10), ("Mod!A.B.Main", 3));

        var again = FoldedFormat.Parse(new StringReader(FoldedFormat.ToText(profile)));

        Assert.Equal(FoldedFormat.ToText(profile), FoldedFormat.ToText(again));
        Assert.Equal(13, again.TotalSamples);
    }

    [Fact]
    public void Parse_skips_blank_lines_and_names_the_bad_line()
    {
        var error = Assert.Throws<FormatException>(() =>
            FoldedFormat.Parse(new StringReader("a;b 1\n\nc;d x\n"), "p.folded"));

        Assert.StartsWith("p.folded:3:", error.Message);
    }
}
