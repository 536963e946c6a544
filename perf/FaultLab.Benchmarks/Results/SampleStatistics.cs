using BenchmarkDotNet.Mathematics;

namespace FaultLab.Benchmarks.Results;

/// <summary>
/// The one place figures come from samples, in both modes: BenchmarkDotNet's own <see cref="Statistics"/> (its
/// quartiles are Perfolizer's, Hyndman and Fan's type 7), so a quick-mode median and a BenchmarkDotNet median, and
/// their noise, are the same computation.
/// </summary>
public static class SampleStatistics
{
    /// <summary>BenchmarkDotNet's statistics of the samples.</summary>
    public static Statistics Of(IReadOnlyList<double> values) =>
        values.Count > 0 ? new Statistics(values) : throw new ArgumentException("no samples", nameof(values));

    public static double Median(IReadOnlyList<double> values) => Of(values).Median;

    /// <summary>The noise of a figure: the interquartile range over the median (the middle half's spread, relative).</summary>
    public static double Noise(Statistics statistics) =>
        statistics.Median > 0 ? statistics.InterquartileRange / statistics.Median : 0;

    public static double Noise(IReadOnlyList<double> values) => Noise(Of(values));

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
