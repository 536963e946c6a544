using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.EventProcessors;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FaultLab.Benchmarks.Floors;
using FaultLab.Benchmarks.Results;
using FaultLab.Benchmarks.Suites;
using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Benchmarks.Running;

/// <summary>What a BenchmarkDotNet run of the suites gave: result rows, what went wrong, BenchmarkDotNet's summaries.</summary>
public sealed record SuiteRun(IReadOnlyList<BenchResult> Results, IReadOnlyList<string> Errors, IReadOnlyList<Summary> Summaries);

/// <summary>
/// Runs the workload suites under BenchmarkDotNet: a default job and, out of process, the same job with tiered
/// compilation off (tiering changes what code is measured); MemoryDiagnoser throughout; BenchmarkDotNet's
/// markdown, CSV and HTML exporters. Its DisassemblyDiagnoser and EventPipeProfiler, which 0.14 refused on .NET 10,
/// work with 0.15.8 and are there on request (bench --disasm, --eventpipe).
/// </summary>
public static class SuiteRunner
{
    public static IReadOnlyList<Job> Jobs(SuiteOptions options)
    {
        var length = options.Length switch
        {
            SuiteLength.Dry => Job.Dry,
            SuiteLength.Short => Job.ShortRun,
            _ => Job.Default,
        };
        if (options.Toolchain == SuiteToolchain.InProcess)
            return [length.WithToolchain(InProcessEmitToolchain.Instance).WithId(BenchJobs.Default)];
        return
        [
            length.WithId(BenchJobs.Default),
            length.WithEnvironmentVariable("DOTNET_TieredCompilation", "0").WithId(BenchJobs.TieringOff),
        ];
    }

    public static IConfig Config(SuiteOptions options, ILogger? logger = null, EventProcessor? events = null)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob([.. Jobs(options)])
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median)
            .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default, HtmlExporter.Default)
            .AddLogger(logger ?? NullLogger.Instance)
            .AddAnalyser([.. DefaultConfig.Instance.GetAnalysers()])
            .AddValidator([.. DefaultConfig.Instance.GetValidators()])
            .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared))
            .WithArtifactsPath(options.ArtifactsPath);
        if (options.Length == SuiteLength.Dry)
            config = config.WithOptions(ConfigOptions.DisableOptimizationsValidator); // a smoke may run a Debug build
        if (options.Disassembly)
            config = config.AddDiagnoser(new DisassemblyDiagnoser(new DisassemblyDiagnoserConfig(maxDepth: 2, exportGithubMarkdown: true)));
        if (options.EventPipe)
            config = config.AddDiagnoser(new EventPipeProfiler(EventPipeProfile.CpuSampling));
        if (events is not null)
            config = config.AddEventProcessor(events);
        return config;
    }

    /// <summary>Runs the suites; <paramref name="progress"/> gets one line per stage and benchmark.</summary>
    public static SuiteRun Run(SuiteOptions options, Action<string>? progress = null, ILogger? logger = null)
    {
        var events = progress is null ? null : new SuiteProgress(progress);
        var config = Config(options, logger, events);
        var infos = options.Suites.Select(s => BenchmarkConverter.TypeToBenchmarks(s.Type, config)).ToArray();
        if (events is not null)
            events.Total = infos.Sum(i => i.BenchmarksCases.Length);
        var summaries = BenchmarkRunner.Run(infos);
        return new SuiteRun(ToResults(summaries.SelectMany(s => s.Reports)), Errors(summaries), summaries);
    }

    private static List<string> Errors(IEnumerable<Summary> summaries)
    {
        var errors = new List<string>();
        foreach (var summary in summaries)
        {
            errors.AddRange(summary.ValidationErrors.Where(e => e.IsCritical).Select(e => e.Message));
            foreach (var benchmark in summary.BenchmarksCases)
            {
                var name = $"{benchmark.Descriptor.Type.Name}.{benchmark.Descriptor.WorkloadMethod.Name} ({benchmark.Job.Id})";
                if (!summary.HasReport(benchmark))
                    errors.Add($"{name}: not run");
                else if (summary[benchmark] is { Success: false } report)
                    errors.Add($"{name}: " + (report.BuildResult is { IsBuildSuccess: false } build
                        ? $"build failed: {build.ErrorMessage}"
                        : string.Join("; ", report.ExecuteResults.SelectMany(e => e.Errors).DefaultIfEmpty("failed"))));
            }
        }
        return errors;
    }

    /// <summary>
    /// Result rows from BenchmarkDotNet's reports: medians per operation (per fault, or per page for a floor),
    /// ratios between the medians of one suite and job, noise as the iterations' interquartile range over the median.
    /// </summary>
    public static IReadOnlyList<BenchResult> ToResults(IEnumerable<BenchmarkReport> reports)
    {
        var rows = new List<BenchResult>();
        var measured = reports
            .Where(r => r.ResultStatistics is not null && SuiteCatalog.For(r.BenchmarkCase.Descriptor.Type) is not null)
            .GroupBy(r => (Suite: SuiteCatalog.For(r.BenchmarkCase.Descriptor.Type)!, Job: r.BenchmarkCase.Job.Id));
        foreach (var group in measured)
        {
            var (suite, job) = group.Key;
            var byMethod = group.ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name);
            var workload = WorkloadCatalog.Create(suite.Workload)!;
            workload.Setup(FaultPath.Generic); // for its pages per batch and its floor
            var floorName = workload.Floor == DataFloor.None ? null : PageFloor.NameOf(workload.Floor);
            var floor = workload.Floor == DataFloor.None ? null : byMethod.GetValueOrDefault(workload.Floor.ToString());
            if (!byMethod.TryGetValue(nameof(FaultPath.Generic), out var generic))
                continue; // no baseline, no ratios
            foreach (var path in Enum.GetValues<FaultPath>())
            {
                if (!byMethod.TryGetValue(path.ToString(), out var report))
                    continue;
                var stats = report.ResultStatistics!;
                var ns = stats.Median;
                rows.Add(new BenchResult
                {
                    Workload = suite.Workload,
                    Path = FaultPathNames.NameOf(path),
                    Job = job,
                    NsPerFault = Math.Round(ns, 3),
                    NsPerPage = Math.Round(ns * suite.Faults / workload.PagesPerBatch, 3),
                    BytesPerFault = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase)
                                    ?? throw new InvalidOperationException("MemoryDiagnoser gave no allocation figure"),
                    RatioToGeneric = Math.Round(ns / generic.ResultStatistics!.Median, 4),
                    Floor = floor is null ? null : floorName,
                    FloorNs = floor is null ? null : Math.Round(floor.ResultStatistics!.Median, 3),
                    FloorNoise = floor is null ? null : Math.Round(Noise(floor.ResultStatistics!), 4),
                    RatioToFloor = floor is null ? null : Math.Round(ns / floor.ResultStatistics!.Median, 4),
                    Noise = Math.Round(Noise(stats), 4),
                    FaultsPerBatch = suite.Faults,
                    PagesPerBatch = workload.PagesPerBatch,
                    Samples = stats.N,
                });
            }
        }
        return rows.OrderBy(r => Order(r.Workload)).ThenBy(r => r.Job != BenchJobs.Default).ThenBy(r => Array.IndexOf(Paths, r.Path)).ToList();
    }

    private static readonly string[] Paths = [.. FaultPathNames.All];

    private static int Order(string workload) =>
        WorkloadCatalog.Names.ToList().IndexOf(workload) is var i and >= 0 ? i : int.MaxValue;

    private static double Noise(BenchmarkDotNet.Mathematics.Statistics stats) => SampleStatistics.Noise(stats);
}
