using BenchmarkDotNet.Attributes;
using FaultLab.Core;

namespace FaultLab.Benchmarks.Suites;

// One class per workload: OperationsPerInvoke must be a compile-time constant, so each suite carries its
// workload's faults per batch (SuiteTests checks each against a measured batch). Every figure is per fault; the
// generic path is the baseline, and the data floor, where there is one, is its own method (per page).

public class SoftRefaultBenchmarks() : WorkloadBenchmark("soft-refault", Faults)
{
    public const int Faults = 256;

    [Benchmark(Baseline = true, OperationsPerInvoke = Faults)] public void Generic() => Run(FaultPath.Generic).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Specialized() => Run(FaultPath.Specialized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Monomorphized() => Run(FaultPath.Monomorphized).RunBatch();
}

public class AnonZfodBenchmarks() : WorkloadBenchmark("anon-zfod", Faults)
{
    public const int Faults = 256;

    [Benchmark(Baseline = true, OperationsPerInvoke = Faults)] public void Generic() => Run(FaultPath.Generic).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Specialized() => Run(FaultPath.Specialized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Monomorphized() => Run(FaultPath.Monomorphized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void ZeroPage() => Floor.Run();
}

public class ForkCowBenchmarks() : WorkloadBenchmark("fork-cow", Faults)
{
    public const int Faults = 256;

    [Benchmark(Baseline = true, OperationsPerInvoke = Faults)] public void Generic() => Run(FaultPath.Generic).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Specialized() => Run(FaultPath.Specialized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Monomorphized() => Run(FaultPath.Monomorphized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void CopyPage() => Floor.Run();
}

public class FileReadBenchmarks() : WorkloadBenchmark("file-read", Faults)
{
    public const int Faults = 52;

    [Benchmark(Baseline = true, OperationsPerInvoke = Faults)] public void Generic() => Run(FaultPath.Generic).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Specialized() => Run(FaultPath.Specialized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Monomorphized() => Run(FaultPath.Monomorphized).RunBatch();
}

public class FileSeqBenchmarks() : WorkloadBenchmark("file-seq", Faults)
{
    public const int Faults = 32;

    [Benchmark(Baseline = true, OperationsPerInvoke = Faults)] public void Generic() => Run(FaultPath.Generic).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Specialized() => Run(FaultPath.Specialized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Monomorphized() => Run(FaultPath.Monomorphized).RunBatch();
}

public class FileCowBenchmarks() : WorkloadBenchmark("file-cow", Faults)
{
    public const int Faults = 256;

    [Benchmark(Baseline = true, OperationsPerInvoke = Faults)] public void Generic() => Run(FaultPath.Generic).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Specialized() => Run(FaultPath.Specialized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Monomorphized() => Run(FaultPath.Monomorphized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void CopyPage() => Floor.Run();
}

public class WireBenchmarks() : WorkloadBenchmark("wire", Faults)
{
    public const int Faults = 64;

    [Benchmark(Baseline = true, OperationsPerInvoke = Faults)] public void Generic() => Run(FaultPath.Generic).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Specialized() => Run(FaultPath.Specialized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Monomorphized() => Run(FaultPath.Monomorphized).RunBatch();
}

public class MixedBenchmarks() : WorkloadBenchmark("mixed", Faults)
{
    /// <summary>Measured: the seeded plan's 512 accesses resolve this many faults (the rest hit).</summary>
    public const int Faults = 146;

    [Benchmark(Baseline = true, OperationsPerInvoke = Faults)] public void Generic() => Run(FaultPath.Generic).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Specialized() => Run(FaultPath.Specialized).RunBatch();
    [Benchmark(OperationsPerInvoke = Faults)] public void Monomorphized() => Run(FaultPath.Monomorphized).RunBatch();
}
