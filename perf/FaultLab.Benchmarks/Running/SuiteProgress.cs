using System.Diagnostics;
using BenchmarkDotNet.EventProcessors;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.Results;
using BenchmarkDotNet.Validators;

namespace FaultLab.Benchmarks.Running;

/// <summary>Turns BenchmarkDotNet's stages into one short line each for <c>faultlab bench</c>'s progress display.</summary>
internal sealed class SuiteProgress(Action<string> report) : EventProcessor
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int started;

    public int Total { get; set; }

    public override void OnValidationError(ValidationError error) =>
        report($"validation {(error.IsCritical ? "error" : "warning")}: {error.Message}");

    public override void OnStartBuildStage(IReadOnlyList<BuildPartition> partitions)
    {
        if (partitions.Any(p => p.RepresentativeBenchmarkCase.Job.Infrastructure.Toolchain is not { IsInProcess: true }))
            report("building the benchmark project with dotnet (a minute or two the first time)...");
    }

    public override void OnBuildComplete(BuildPartition partition, BuildResult result)
    {
        if (!result.IsBuildSuccess)
            report($"build failed: {result.ErrorMessage}");
    }

    public override void OnStartRunBenchmark(BenchmarkCase benchmark) =>
        report($"[{++started}/{Total}] {benchmark.Descriptor.Type.Name}.{benchmark.Descriptor.WorkloadMethod.Name} " +
               $"({benchmark.Job.Id}) at {clock.Elapsed:mm\\:ss}");

    public override void OnEndRunBenchmark(BenchmarkCase benchmark, BenchmarkReport result)
    {
        if (!result.Success)
            report($"  failed: {string.Join("; ", result.ExecuteResults.SelectMany(e => e.Errors).DefaultIfEmpty("no result"))}");
    }
}
