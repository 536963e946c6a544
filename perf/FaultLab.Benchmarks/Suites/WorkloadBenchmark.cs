using BenchmarkDotNet.Attributes;
using FaultLab.Benchmarks.Floors;
using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Benchmarks.Suites;

/// <summary>
/// What every workload suite shares: one machine per fault path, set up once, and the workload's data floor.
/// A suite adds the benchmark methods, because <c>OperationsPerInvoke</c> must be a constant: each suite declares
/// its workload's faults per batch as <c>Faults</c>, so that every figure is per fault. Setup refuses to run when
/// that constant no longer matches what a batch resolves.
/// </summary>
[MemoryDiagnoser]
public abstract class WorkloadBenchmark
{
    private readonly Dictionary<FaultPath, Workload> runs = [];
    private PageFloor? floor;

    protected WorkloadBenchmark(string workload, int faultsPerBatch)
    {
        WorkloadName = workload;
        DeclaredFaults = faultsPerBatch;
    }

    /// <summary>The built-in workload this suite runs (its name in <see cref="WorkloadCatalog"/>).</summary>
    public string WorkloadName { get; }

    /// <summary>The suite's <c>Faults</c> constant.</summary>
    public int DeclaredFaults { get; }

    [GlobalSetup]
    public void Setup()
    {
        foreach (var path in Enum.GetValues<FaultPath>())
        {
            var workload = WorkloadCatalog.Create(WorkloadName)
                ?? throw new InvalidOperationException($"no workload named {WorkloadName}");
            workload.Setup(path);
            if (workload.FaultsPerBatch != DeclaredFaults)
                throw new InvalidOperationException(
                    $"{GetType().Name}.Faults is {DeclaredFaults} but a {WorkloadName} batch resolves {workload.FaultsPerBatch} faults on the {path} path");
            runs[path] = workload;
            if (workload.Floor != DataFloor.None)
                floor ??= new PageFloor(workload.Floor, DeclaredFaults);
        }
    }

    protected Workload Run(FaultPath path) => runs[path];

    /// <summary>Zeroes or copies <c>Faults</c> pages: one page per operation.</summary>
    protected PageFloor Floor => floor ?? throw new InvalidOperationException($"{WorkloadName} has no data floor");
}
