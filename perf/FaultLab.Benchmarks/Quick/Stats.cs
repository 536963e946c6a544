namespace FaultLab.Benchmarks.Quick;

/// <summary>Order statistics of a run's samples (linear interpolation between order statistics, as R's type 7).</summary>
public static class Stats
{
    public static double Median(IReadOnlyList<double> values) => Quantile(values, 0.5);

    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
            throw new ArgumentException("no samples", nameof(values));
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Interquartile range over the median: the spread of the middle half of the samples, relative.</summary>
    public static double RelativeIqr(IReadOnlyList<double> values)
    {
        var median = Median(values);
        return median > 0 ? (Quantile(values, 0.75) - Quantile(values, 0.25)) / median : 0;
    }

    /// <summary>The median of the pairwise ratios <c>a[i] / b[i]</c>: samples taken in the same round are compared
    /// with each other, so a round slowed down by the machine slows both sides.</summary>
    public static double MedianRatio(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count)
            throw new ArgumentException("ratios need samples from the same rounds");
        var ratios = new double[a.Count];
        for (int i = 0; i < a.Count; i++)
            ratios[i] = a[i] / b[i];
        return Median(ratios);
    }
}
