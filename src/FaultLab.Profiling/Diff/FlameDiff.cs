using System.Globalization;
using System.Text;
using FaultLab.Profiling.Model;
using FaultLab.Profiling.Writers;

namespace FaultLab.Profiling.Diff;

/// <summary>
/// A differential flame graph of two profiles of the same program: the frames and widths are those of B, the
/// colour says how each frame's share of all samples changed from A to B: red grew, blue shrank, grey held. Shares,
/// not counts, so that profiles of different lengths compare. The strongest change gets the strongest colour.
/// </summary>
public static class FlameDiff
{
    public static readonly Rgb Neutral = new(225, 225, 225);

    /// <summary>A frame's share of its graph's samples, from A (0 when A never saw this path) and from B.</summary>
    public readonly record struct Shares(long CountA, long TotalA, long CountB, long TotalB)
    {
        public double A => TotalA == 0 ? 0 : (double)CountA / TotalA;
        public double B => TotalB == 0 ? 0 : (double)CountB / TotalB;

        /// <summary>-1, 0 or 1: the sign of B's share minus A's, computed exactly.</summary>
        public int Direction => ((Int128)CountB * TotalA).CompareTo((Int128)CountA * TotalB) switch
        {
            < 0 => -1,
            0 => 0,
            _ => 1,
        };
    }

    /// <param name="layout">Title, width, inverted and minimum width to draw with (the fill, tooltip and subtitle are the diff's).</param>
    public static string RenderSvg(StackProfile a, StackProfile b, string nameA, string nameB, FlameGraphStyle? layout = null)
    {
        var treeA = FlameTree.Build(a);
        var treeB = FlameTree.Build(b);
        Shares SharesOf(FlameNode node) =>
            new(treeA.Find(node.Path)?.Total ?? 0, treeA.Total, node.Total, treeB.Total);
        var strongest = treeB.DepthFirst().Select(n => Math.Abs(SharesOf(n).B - SharesOf(n).A)).DefaultIfEmpty(0).Max();

        var missing = a.Stacks.Where(s => treeB.Find(s.Frames) is null).Sum(s => s.Count);
        var subtitle = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"A: {nameA} ({a.TotalSamples} samples)   B: {nameB} ({b.TotalSamples} samples)   widths follow B; red grew, blue shrank");
        if (missing > 0)
        {
            subtitle.Append(CultureInfo.InvariantCulture, $"; {FlameGraphSvg.Percent(missing, a.TotalSamples)}% of A is on stacks B lacks");
        }

        return FlameGraphSvg.Render(treeB, (layout ?? new FlameGraphStyle { Title = "Differential flame graph" }) with
        {
            Subtitle = subtitle.ToString(),
            Fill = node => Color(SharesOf(node), strongest),
            Tooltip = (node, _) => Tooltip(node.Name, SharesOf(node)),
        });
    }

    public static Rgb Color(Shares shares, double strongest)
    {
        var direction = shares.Direction;
        if (direction == 0)
        {
            return Neutral;
        }
        var intensity = strongest <= 0 ? 1 : Math.Clamp(Math.Abs(shares.B - shares.A) / strongest, 0, 1);
        var fade = (byte)Math.Round(210 * (1 - intensity));
        return direction > 0 ? new Rgb(255, fade, fade) : new Rgb(fade, fade, 255);
    }

    public static string Tooltip(string name, Shares shares)
    {
        var points = 100 * (shares.B - shares.A);
        return string.Create(CultureInfo.InvariantCulture,
            $"{name} (A: {FlameGraphSvg.Percent(shares.CountA, shares.TotalA)}%, B: {FlameGraphSvg.Percent(shares.CountB, shares.TotalB)}%, " +
            $"{(points >= 0 ? "+" : "")}{points:0.00} pts; {shares.CountB} samples in B)");
    }

    /// <summary>The two profiles side by side in the folded format of flamegraph's difffolded.pl:
    /// <c>stack COUNT_A COUNT_B</c>, one line per stack of either, sorted.</summary>
    public static string Folded(StackProfile a, StackProfile b)
    {
        var counts = new SortedDictionary<string, (long A, long B)>(StringComparer.Ordinal);
        foreach (var stack in a.Stacks)
        {
            counts[stack.Key] = (stack.Count, 0);
        }
        foreach (var stack in b.Stacks)
        {
            counts[stack.Key] = (counts.TryGetValue(stack.Key, out var seen) ? seen.A : 0, stack.Count);
        }
        var text = new StringBuilder();
        foreach (var (key, (countA, countB)) in counts)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key} {countA} {countB}\n");
        }
        return text.ToString();
    }
}
