using FaultLab.Benchmarks.Suites;

namespace FaultLab.Benchmarks.Running;

/// <summary>Where BenchmarkDotNet runs the suites.</summary>
public enum SuiteToolchain
{
    /// <summary>BenchmarkDotNet's default: a generated project built with <c>dotnet</c>, one process per benchmark.
    /// Needs the repository's sources (it builds perf/FaultLab.Benchmarks); runs the tiering-off job too.</summary>
    OutOfProcess,
    /// <summary>In this process (InProcessEmitToolchain): no build, but only this process's own tiering.</summary>
    InProcess,
}

/// <summary>How long BenchmarkDotNet measures each benchmark.</summary>
public enum SuiteLength
{
    /// <summary>BenchmarkDotNet's defaults: as many iterations as its statistics ask for.</summary>
    Default,
    /// <summary>BenchmarkDotNet's ShortRun: 3 warm-up and 3 measured iterations.</summary>
    Short,
    /// <summary>BenchmarkDotNet's Dry job: one iteration of one invocation, a smoke test with no meaning as a figure.</summary>
    Dry,
}

public sealed record SuiteOptions
{
    public IReadOnlyList<Suite> Suites { get; init; } = SuiteCatalog.All;
    public SuiteToolchain Toolchain { get; init; } = SuiteToolchain.OutOfProcess;
    public SuiteLength Length { get; init; } = SuiteLength.Default;
    /// <summary>BenchmarkDotNet's DisassemblyDiagnoser (works on .NET 10 since BenchmarkDotNet 0.15): each
    /// benchmark's native code in its artifacts, results/*-asm.md.</summary>
    public bool Disassembly { get; init; }

    /// <summary>BenchmarkDotNet's EventPipeProfiler (works on .NET 10 since 0.15): a .nettrace and a speedscope
    /// file per benchmark in its artifacts.</summary>
    public bool EventPipe { get; init; }

    /// <summary>BenchmarkDotNet's own log, reports and (out of process) build output go here.</summary>
    public string ArtifactsPath { get; init; } = Path.GetFullPath("BenchmarkDotNet.Artifacts");
}
