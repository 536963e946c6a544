using FaultLab.Benchmarks.Results;
using static FaultLab.Benchmarks.Tests.ResultSetTests;

namespace FaultLab.Benchmarks.Tests;

public class ComparisonTests
{
    [Fact]
    public void A_2x_change_is_flagged_and_a_1_percent_one_is_not()
    {
        var old = Report(Row("soft-refault", "generic", 100), Row("anon-zfod", "generic", 200));
        var @new = Report(Row("soft-refault", "generic", 200), Row("anon-zfod", "generic", 202));

        var rows = Comparison.Compare(old, @new);

        Assert.Equal([Change.Slower, Change.Same], rows.Select(r => r.Change));
        Assert.Equal(2.0, rows[0].Ratio);
        Assert.Equal(Comparison.DefaultThreshold, rows[1].Threshold);
    }

    [Fact]
    public void The_threshold_is_the_larger_noise_of_the_two_runs()
    {
        var old = Report(Row("wire", "generic", 100, noise: 0.02));
        var noisy = Report(Row("wire", "generic", 130, noise: 0.40));
        var quiet = Report(Row("wire", "generic", 70, noise: 0.02));

        Assert.Equal(Change.Same, Comparison.Compare(old, noisy).Single().Change);
        Assert.Equal(0.40, Comparison.Compare(old, noisy).Single().Threshold);
        Assert.Equal(Change.Faster, Comparison.Compare(old, quiet).Single().Change);
    }

    [Fact]
    public void Floors_are_compared_and_rows_on_one_side_only_are_listed()
    {
        var old = Report(Row("anon-zfod", "generic", 100, floor: "zero-page", floorNs: 50), Row("wire", "generic", 80));
        var @new = Report(Row("anon-zfod", "generic", 100, floor: "zero-page", floorNs: 100), Row("mixed", "generic", 90));

        var rows = Comparison.Compare(old, @new).ToDictionary(r => $"{r.Workload}/{r.What}");

        Assert.Equal(Change.Slower, rows["anon-zfod/zero-page"].Change);
        Assert.Equal(Change.Removed, rows["wire/generic"].Change);
        Assert.Equal(Change.Added, rows["mixed/generic"].Change);
    }
}
