using System.Text;
using FaultLab.Cli.Diff;

namespace FaultLab.Tests.Diff;

/// <summary>The unified diff format, as diff -u prints it.</summary>
public class UnifiedDiffTests
{
    private static (string Text, DiffStats Stats) Diff(string[] a, string[] b, bool color = false)
    {
        var sb = new StringBuilder();
        var stats = UnifiedDiff.Write(sb, "a", "b", a, b, color);
        return (sb.ToString(), stats);
    }

    [Fact]
    public void Equal_inputs_give_no_output()
    {
        var (text, stats) = Diff(["x", "y"], ["x", "y"]);
        Assert.Equal("", text);
        Assert.Equal(default, stats);
    }

    [Fact]
    public void A_changed_line_is_one_hunk_with_three_lines_of_context_as_diff_u_prints_it()
    {
        string[] a = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
        string[] b = ["1", "2", "3", "4", "five", "6", "7", "8", "9"];
        var (text, stats) = Diff(a, b);
        // what `diff -u a b` prints, less its timestamps
        Assert.Equal("--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", text);
        Assert.Equal(new DiffStats(1, 1), stats);
    }

    [Fact]
    public void Distant_changes_make_separate_hunks_and_near_ones_share_a_hunk()
    {
        var a = Enumerable.Range(1, 30).Select(i => i.ToString()).ToArray();
        var b = a.ToArray();
        b[1] = "two";
        b[25] = "twenty-six";
        b[27] = "twenty-eight";
        var (text, stats) = Diff(a, b);
        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith("@@")));
        Assert.Contains("@@ -1,5 +1,5 @@\n", text);
        Assert.Contains("@@ -23,8 +23,8 @@\n", text);
        Assert.Equal(new DiffStats(3, 3), stats);
    }

    [Fact]
    public void Removed_block_counts_and_empty_new_side_use_diff_u_ranges()
    {
        var (text, stats) = Diff(["keep", "drop1", "drop2"], ["keep"]);
        Assert.Equal("--- a\n+++ b\n@@ -1,3 +1 @@\n keep\n-drop1\n-drop2\n", text);
        Assert.Equal(new DiffStats(2, 0), stats);
        var (all, _) = Diff(["gone"], []);
        Assert.Equal("--- a\n+++ b\n@@ -1 +0,0 @@\n-gone\n", all);
    }

    [Fact]
    public void Colour_wraps_removed_lines_red_and_added_lines_green_and_plain_has_no_escapes()
    {
        var (colored, _) = Diff(["x"], ["y"], color: true);
        Assert.Contains("\u001b[31m-x\u001b[0m", colored);
        Assert.Contains("\u001b[32m+y\u001b[0m", colored);
        var (plain, _) = Diff(["x"], ["y"]);
        Assert.DoesNotContain("\u001b", plain);
    }
}
