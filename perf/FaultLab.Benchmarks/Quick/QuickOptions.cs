using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Benchmarks.Quick;

/// <summary>How long and how often the quick bench measures.</summary>
public sealed record QuickOptions
{
    public const int DefaultRounds = 21;

    /// <summary>The most rounds a run may ask for (--rounds, --bench-rounds).</summary>
    public const int MaxRounds = 10_000;

    /// <summary>The families every workload runs on (the first is the one the others are compared with).</summary>
    public IReadOnlyList<FaultLab.Core.MachineFamily> Families { get; init; } = FaultLab.Core.MachineCatalog.BuiltIn.Families;

    /// <summary>Workload names, in the order they run.</summary>
    public IReadOnlyList<string> Workloads { get; init; } = WorkloadCatalog.Names;

    /// <summary>Makes a new (not set up) instance of a named workload, once per fault path: the built-in catalog, or
    /// another source (a scenario file's workload).</summary>
    public Func<string, Workload?> Create { get; init; } = WorkloadCatalog.Create;

    /// <summary>Rounds per workload; each round takes one sample of every path (and of the floor).</summary>
    public int Rounds { get; init; } = DefaultRounds;

    /// <summary>About how long one sample runs (whole batches, at least one).</summary>
    public TimeSpan Sample { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Minimum warm-up per workload; it goes on until the JIT has been quiet for two passes.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromMilliseconds(400);

    public string Describe() =>
        $"quick: in-process; per workload {Rounds} rounds, each one sample (~{Sample.TotalMilliseconds:0} ms of whole batches) " +
        "of every path and of the data floor, interleaved round-robin with the first one rotated each round, after a warm-up " +
        $"of at least {Warmup.TotalMilliseconds:0} ms that ends when the JIT is quiet; figures are medians over the rounds, " +
        "ratios medians of the per-round ratios, noise the interquartile range over the median; bytes per fault are this " +
        "thread's GC allocations over the samples no GC ran during (all samples if every one saw a GC)";
}

/// <summary>Where the quick bench is: the workload (1-based index of count) and the round just finished (0 while warming up).</summary>
public readonly record struct QuickProgress(string Workload, int Index, int Count, int Round, int Rounds);
