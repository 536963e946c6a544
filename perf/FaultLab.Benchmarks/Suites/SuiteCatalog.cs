using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Benchmarks.Suites;

/// <summary>A workload's BenchmarkDotNet suite and the faults per batch it declares.</summary>
public sealed record Suite(string Workload, Type Type, int Faults);

/// <summary>The suites, one per built-in workload, in <see cref="WorkloadCatalog.Names"/> order.</summary>
public static class SuiteCatalog
{
    public static IReadOnlyList<Suite> All { get; } =
    [
        new("soft-refault", typeof(SoftRefaultBenchmarks), SoftRefaultBenchmarks.Faults),
        new("anon-zfod", typeof(AnonZfodBenchmarks), AnonZfodBenchmarks.Faults),
        new("fork-cow", typeof(ForkCowBenchmarks), ForkCowBenchmarks.Faults),
        new("file-read", typeof(FileReadBenchmarks), FileReadBenchmarks.Faults),
        new("file-seq", typeof(FileSeqBenchmarks), FileSeqBenchmarks.Faults),
        new("file-cow", typeof(FileCowBenchmarks), FileCowBenchmarks.Faults),
        new("wire", typeof(WireBenchmarks), WireBenchmarks.Faults),
        new("mixed", typeof(MixedBenchmarks), MixedBenchmarks.Faults),
    ];

    public static Suite? For(string workload) => All.FirstOrDefault(s => s.Workload == workload);

    public static Suite? For(Type type) => All.FirstOrDefault(s => s.Type == type);
}
