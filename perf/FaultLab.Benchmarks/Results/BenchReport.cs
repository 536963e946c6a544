using FaultLab.Workloads.Kernel;

namespace FaultLab.Benchmarks.Results;

/// <summary>
/// One run of the bench, as <c>results.json</c> holds it: the machine it ran on, how it measured, and one row per
/// workload × path × job. Every ratio in it was measured in the same run as the figures it relates.
/// </summary>
public sealed record BenchReport
{
    public const string CurrentSchema = "faultlab-bench/1";

    public string Schema { get; init; } = CurrentSchema;

    /// <summary><c>quick</c> (in-process, paths interleaved) or <c>benchmarkdotnet</c>.</summary>
    public required string Mode { get; init; }

    public required DateTimeOffset Date { get; init; }

    /// <summary>The command line that produced the run.</summary>
    public string? Command { get; init; }

    public required MachineInfo Machine { get; init; }

    /// <summary>A remark from whoever ran it (e.g. that the machine was busy).</summary>
    public string? Note { get; init; }

    /// <summary>How the figures were taken, in words (rounds, sample length, statistic, toolchain).</summary>
    public string? Method { get; init; }

    public required IReadOnlyList<BenchResult> Results { get; init; }

    /// <summary>This machine's own page faults (<c>--kernel</c>), when measured.</summary>
    public IReadOnlyList<KernelFaultResult>? Kernel { get; init; }
}

/// <summary>One workload on one family's fault path (and one BenchmarkDotNet job).</summary>
public sealed record BenchResult
{
    public required string Workload { get; init; }

    /// <summary>The fault-handler family of the machine (results written before families had none: netbsd).</summary>
    public string Family { get; init; } = DefaultFamily;

    /// <summary>The family a result without one is of, and the one other families are compared with.</summary>
    public const string DefaultFamily = "netbsd";

    /// <summary>generic, specialized or monomorphized.</summary>
    public required string Path { get; init; }

    /// <summary><c>default</c> (the runtime's own tiering) or <c>tiering-off</c>.</summary>
    public string Job { get; init; } = BenchJobs.Default;

    /// <summary>Median time per resolved fault.</summary>
    public required double NsPerFault { get; init; }

    /// <summary>The same time spread over every page the batch entered (faulting pages and neighbours).</summary>
    public required double NsPerPage { get; init; }

    /// <summary>GC bytes allocated per fault over the measured batches.</summary>
    public required double BytesPerFault { get; init; }

    /// <summary>This path's time over the generic path's, measured in the same run (1 for generic).</summary>
    public required double RatioToGeneric { get; init; }

    /// <summary>The workload's data floor (zero-page or copy-page), when it has one.</summary>
    public string? Floor { get; init; }

    /// <summary>Median time to zero or copy one 4 KiB page, measured in the same run.</summary>
    public double? FloorNs { get; init; }

    /// <summary>Noise of <see cref="FloorNs"/>, as <see cref="Noise"/>.</summary>
    public double? FloorNoise { get; init; }

    /// <summary>Time per fault over the floor.</summary>
    public double? RatioToFloor { get; init; }

    /// <summary>Another family's time for the whole batch over the default family's, on the same path, measured in
    /// the same rounds (the same accesses through both designs; their fault counts may differ). Null for the default family.</summary>
    public double? RatioToDefaultFamily { get; init; }

    /// <summary>Interquartile range of the samples over their median: how much this figure moved within the run.</summary>
    public required double Noise { get; init; }

    public required int FaultsPerBatch { get; init; }

    public required int PagesPerBatch { get; init; }

    /// <summary>Samples (quick rounds or BenchmarkDotNet iterations) behind the figure.</summary>
    public required int Samples { get; init; }

    /// <summary>Quick mode: the per-round times per fault, in round order.</summary>
    public IReadOnlyList<double>? SampleNsPerFault { get; init; }

    /// <summary>Quick mode: the per-round floor times per page, in round order.</summary>
    public IReadOnlyList<double>? SampleFloorNs { get; init; }

    /// <summary>The row's identity across runs (what <c>faultlab compare</c> matches).</summary>
    public string Key => Family == DefaultFamily ? $"{Workload}/{Path}/{Job}" : $"{Workload}/{Family}/{Path}/{Job}";
}

/// <summary>Job names of results rows.</summary>
public static class BenchJobs
{
    /// <summary>Tiered compilation as the runtime does it by default.</summary>
    public const string Default = "default";

    /// <summary><c>DOTNET_TieredCompilation=0</c>: the fully optimizing JIT from the first call.</summary>
    public const string TieringOff = "tiering-off";
}
