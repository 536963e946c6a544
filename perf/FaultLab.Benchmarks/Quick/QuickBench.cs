using System.Diagnostics;
using FaultLab.Benchmarks.Floors;
using FaultLab.Benchmarks.Results;
using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Benchmarks.Quick;

/// <summary>
/// The quick bench: every workload on every path, measured in this process without BenchmarkDotNet, in well under a
/// minute. The paths of a workload (and its data floor) are sampled round-robin, one sample each per round, so that
/// whatever else the machine does slows all of them alike; the medians over rounds and the medians of the per-round
/// ratios then survive a noisy machine.
/// </summary>
public static class QuickBench
{
    public static IReadOnlyList<BenchResult> Run(QuickOptions options, Action<QuickProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rounds, 1);
        var job = MachineInfo.TieringEnabled() ? BenchJobs.Default : BenchJobs.TieringOff;
        var results = new List<BenchResult>();
        for (int i = 0; i < options.Workloads.Count; i++)
        {
            var name = options.Workloads[i];
            results.AddRange(RunWorkload(name, job, options, round => progress?.Invoke(
                new QuickProgress(name, i + 1, options.Workloads.Count, round, options.Rounds))));
            // The machines of this workload are garbage now; collect them outside any measurement.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return results;
    }

    private static List<BenchResult> RunWorkload(string name, string job, QuickOptions options, Action<int> progress)
    {
        var paths = Enum.GetValues<FaultPath>();
        // One machine per family and path; all their series (and the floor's) are sampled in the same rounds.
        var runs = options.Families.SelectMany(family => paths.Select(path =>
        {
            var workload = options.Create(name) ?? throw new ArgumentException($"no workload named {name}");
            workload.Setup(path, family);
            Workloads.Metrics.ModelMeter.Observe(workload.Machine); // for dotnet-counters; read only when collected
            return (Family: family, Workload: workload);
        })).ToArray();
        foreach (var family in options.Families)
        {
            var of = runs.Where(r => r.Family == family).Select(r => r.Workload).ToArray();
            if (of.Any(w => (w.FaultsPerBatch, w.PagesPerBatch) != (of[0].FaultsPerBatch, of[0].PagesPerBatch)))
                throw new InvalidOperationException($"{name}: the paths of the {family.Name} family resolve different faults per batch");
        }

        var series = runs.Select(r => new Series(FaultPathNames.NameOf(r.Workload.Path), r.Workload.RunBatch, r.Workload.FaultsPerBatch, options.Rounds)).ToList();
        var floorKind = runs[0].Workload.Floor;
        var floor = floorKind == DataFloor.None ? null : new PageFloor(floorKind, runs[0].Workload.FaultsPerBatch);
        Series? floorSeries = floor is null ? null : new Series(floor.Name, floor.Run, floor.Pages, options.Rounds);
        if (floorSeries is not null)
            series.Add(floorSeries);

        // Setup allocated megabytes of frames: collect now, blocking, so that no background GC is still running when
        // the measuring starts. A GC retires this thread's allocation context and moves its allocated-bytes counter
        // by up to the unused part of it (a few KiB) with nothing allocated: 0 B per fault must stay 0.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        progress(0);
        WarmUp(series, options);
        foreach (var s in series)
            s.Calibrate(options.Sample);
        for (int round = 0; round < options.Rounds; round++)
        {
            for (int j = 0; j < series.Count; j++)
                series[(round + j) % series.Count].Sample();
            progress(round + 1);
        }

        var defaultFamily = options.Families[0];
        Series SeriesOf(MachineFamily family, FaultPath path) =>
            series[Array.FindIndex(runs, r => r.Family == family && r.Workload.Path == path)];
        return runs.Select((run, i) =>
        {
            var (family, workload) = run;
            var s = series[i];
            var generic = SeriesOf(family, FaultPath.Generic);
            var (faults, pages) = (workload.FaultsPerBatch, workload.PagesPerBatch);
            var ns = SampleStatistics.Median(s.Samples);
            double? toDefault = null;
            if (family != defaultFamily)
            {
                // Per batch: the same accesses through both designs, whatever faults each one takes for them.
                var other = SeriesOf(defaultFamily, workload.Path);
                var otherFaults = runs.First(r => r.Family == defaultFamily).Workload.FaultsPerBatch;
                toDefault = RoundRatio(SampleStatistics.MedianRatio(
                    s.Samples.Select(x => x * faults).ToList(), other.Samples.Select(x => x * otherFaults).ToList()));
            }
            return new BenchResult
            {
                Workload = name,
                Family = family.Name,
                Path = s.Name,
                Job = job,
                NsPerFault = Round(ns),
                NsPerPage = Round(ns * faults / pages),
                BytesPerFault = Round(s.BytesPerOperation),
                RatioToGeneric = RoundRatio(SampleStatistics.MedianRatio(s.Samples, generic.Samples)),
                Floor = floor?.Name,
                FloorNs = floorSeries is null ? null : Round(SampleStatistics.Median(floorSeries.Samples)),
                FloorNoise = floorSeries is null ? null : RoundRatio(SampleStatistics.Noise(floorSeries.Samples)),
                RatioToFloor = floorSeries is null ? null : RoundRatio(SampleStatistics.MedianRatio(s.Samples, floorSeries.Samples)),
                RatioToDefaultFamily = toDefault,
                Noise = RoundRatio(SampleStatistics.Noise(s.Samples)),
                FaultsPerBatch = faults,
                PagesPerBatch = pages,
                Samples = s.Samples.Count,
                SampleNsPerFault = s.Samples.Select(Round).ToArray(),
                SampleFloorNs = floorSeries?.Samples.Select(Round).ToArray(),
            };
        }).ToList();
    }

    /// <summary>
    /// Runs every series in turn until the warm-up time is over and two whole passes compiled nothing: tiered
    /// compilation has then replaced the first code with its optimized form (or given up), in any process.
    /// </summary>
    private static void WarmUp(List<Series> series, QuickOptions options)
    {
        var clock = Stopwatch.StartNew();
        var limit = options.Warmup * 4 + TimeSpan.FromSeconds(1);
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        int quietPasses = 0;
        while (true)
        {
            foreach (var s in series)
                s.RunFor(options.Warmup == TimeSpan.Zero ? TimeSpan.Zero : options.Sample);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            quietPasses = now == compiled ? quietPasses + 1 : 0;
            compiled = now;
            if (clock.Elapsed >= options.Warmup && (quietPasses >= 2 || options.Warmup == TimeSpan.Zero))
                break;
            if (clock.Elapsed >= limit)
                break;
        }
    }

    private static double Round(double ns) => Math.Round(ns, 3);

    private static double RoundRatio(double ratio) => Math.Round(ratio, 4);
}
