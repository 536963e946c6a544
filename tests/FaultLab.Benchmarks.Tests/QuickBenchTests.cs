using FaultLab.Benchmarks.Quick;
using FaultLab.Benchmarks.Results;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Benchmarks.Tests;

/// <summary>The quick bench's structure, on a run far too short to mean anything as a figure.</summary>
[Collection(nameof(BenchCollection))]
public class QuickBenchTests
{
    private static readonly QuickOptions Smoke = new() { Rounds = 3, Sample = TimeSpan.FromMilliseconds(1), Warmup = TimeSpan.Zero };

    private static readonly Lazy<IReadOnlyList<BenchResult>> Results = new(() => QuickBench.Run(Smoke));

    [Fact]
    public void Every_workload_family_and_path_gets_one_row_in_catalog_order()
    {
        var expected = WorkloadCatalog.Names.SelectMany(w => FaultLab.Core.MachineCatalog.BuiltIn.Families.SelectMany(f =>
            FaultLab.Core.FaultPathNames.All.Select(p =>
                f == FaultLab.Core.MachineCatalog.BuiltIn.Default ? $"{w}/{p}/{BenchJobs.Default}" : $"{w}/{f.Name}/{p}/{BenchJobs.Default}")));
        Assert.Equal(expected, Results.Value.Select(r => r.Key));
        Assert.All(Results.Value, r => Assert.Equal(Smoke.Rounds, r.Samples));
        Assert.All(Results.Value, r => Assert.Equal(Smoke.Rounds, r.SampleNsPerFault!.Count));
    }

    [Fact]
    public void Nothing_is_allocated_per_fault()
    {
        Assert.All(Results.Value, r => Assert.True(r.BytesPerFault == 0, $"{r.Key}: {r.BytesPerFault} B/fault"));
    }

    [Fact]
    public void Ratios_come_from_the_rounds_of_the_same_run()
    {
        foreach (var workload in Results.Value.GroupBy(r => (r.Workload, r.Family)))
        {
            var generic = workload.Single(r => r.Path == "generic");
            var other = Results.Value.Where(r => r.Workload == workload.Key.Workload && r.Family == BenchResult.DefaultFamily).ToList();
            Assert.Equal(1.0, generic.RatioToGeneric);
            foreach (var row in workload)
            {
                Assert.Equal(SampleStatistics.MedianRatio(row.SampleNsPerFault!, generic.SampleNsPerFault!), row.RatioToGeneric, 0.002 * row.RatioToGeneric);
                Assert.Equal(SampleStatistics.Median(row.SampleNsPerFault!), row.NsPerFault, 0.001);
                Assert.Equal(row.NsPerFault * row.FaultsPerBatch / row.PagesPerBatch, row.NsPerPage, 0.01);
                Assert.Equal(SampleStatistics.Noise(row.SampleNsPerFault!), row.Noise, 0.001);
                if (row.Floor is not null)
                {
                    Assert.Equal(SampleStatistics.Median(row.SampleFloorNs!), row.FloorNs!.Value, 0.001);
                    Assert.Equal(SampleStatistics.MedianRatio(row.SampleNsPerFault!, row.SampleFloorNs!), row.RatioToFloor!.Value, 0.002 * row.RatioToFloor.Value);
                    // The floor was sampled once per round, beside the paths, and is the same for all of them.
                    Assert.Equal(generic.SampleFloorNs, row.SampleFloorNs);
                }
                // Another family's batch over the default family's on the same path, from the same rounds.
                if (row.Family == BenchResult.DefaultFamily)
                {
                    Assert.Null(row.RatioToDefaultFamily);
                }
                else
                {
                    var same = other.Single(r => r.Path == row.Path);
                    var expected = SampleStatistics.MedianRatio(row.SampleNsPerFault!.Select(x => x * row.FaultsPerBatch).ToList(),
                        same.SampleNsPerFault!.Select(x => x * same.FaultsPerBatch).ToList());
                    Assert.Equal(expected, row.RatioToDefaultFamily!.Value, 0.002 * expected);
                }
            }
        }
    }

    [Fact]
    public void Floors_are_measured_for_the_workloads_that_zero_or_copy_pages_and_only_those()
    {
        foreach (var row in Results.Value)
        {
            var floor = WorkloadCatalog.Create(row.Workload)!.Floor;
            Assert.Equal(floor switch { DataFloor.ZeroPage => "zero-page", DataFloor.CopyPage => "copy-page", _ => null }, row.Floor);
            Assert.Equal(floor != DataFloor.None, row.FloorNs is > 0);
            Assert.Equal(floor != DataFloor.None, row.RatioToFloor is > 0);
        }
    }

    [Fact]
    public void A_filtered_run_measures_only_the_named_workloads()
    {
        var results = QuickBench.Run(Smoke with { Workloads = ["wire"], Rounds = 1 });
        Assert.Equal(["wire"], results.Select(r => r.Workload).Distinct());
        Assert.Equal(3 * FaultLab.Core.MachineCatalog.BuiltIn.Families.Count, results.Count);
    }

    [Fact]
    public void Progress_reports_every_round_of_every_workload()
    {
        var seen = new List<QuickProgress>();
        QuickBench.Run(Smoke with { Workloads = ["soft-refault", "wire"], Rounds = 2 }, seen.Add);
        Assert.Equal(
            [("soft-refault", 1, 0), ("soft-refault", 1, 1), ("soft-refault", 1, 2), ("wire", 2, 0), ("wire", 2, 1), ("wire", 2, 2)],
            seen.Select(p => (p.Workload, p.Index, p.Round)));
        Assert.All(seen, p => Assert.Equal((2, 2), (p.Count, p.Rounds)));
    }
}

public class SeriesTests
{
    [Fact]
    public void A_batch_that_allocates_shows_its_bytes()
    {
        var series = new Series("small", () => GC.KeepAlive(new byte[100]), 1, 3);
        series.Calibrate(TimeSpan.FromMilliseconds(1));
        for (int i = 0; i < 3; i++)
            series.Sample();
        Assert.InRange(series.BytesPerOperation, 100, 200);
    }

    [Fact]
    public void A_batch_that_makes_the_GC_run_in_every_sample_still_shows_its_bytes()
    {
        var series = new Series("collecting", () =>
        {
            GC.KeepAlive(new byte[1000]);
            GC.Collect(0);
        }, 1, 3);
        for (int i = 0; i < 3; i++)
            series.Sample();
        Assert.True(series.BytesPerOperation >= 1000, $"{series.BytesPerOperation}");
    }
}

public class SampleStatisticsTests
{
    [Fact]
    public void Quartiles_are_benchmarkdotnets_interpolating_between_order_statistics()
    {
        double[] values = [4, 1, 3, 2];
        Assert.Equal(2.5, SampleStatistics.Median(values));
        Assert.Equal(1.75, SampleStatistics.Of(values).Q1);
        Assert.Equal(3.25, SampleStatistics.Of(values).Q3);
        Assert.Equal(1.5 / 2.5, SampleStatistics.Noise(values), 1e-12);
        Assert.Equal(7, SampleStatistics.Median([7]));
        Assert.Equal(0, SampleStatistics.Noise([7]));
    }

    [Fact]
    public void Ratios_pair_the_samples_of_the_same_round()
    {
        // Round 2 was slowed down for both: its ratio is still 2.
        Assert.Equal(2, SampleStatistics.MedianRatio([2, 20, 2], [1, 10, 1]));
        Assert.Throws<ArgumentException>(() => SampleStatistics.MedianRatio([1, 2], [1]));
    }
}
