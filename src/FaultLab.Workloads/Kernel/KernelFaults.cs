namespace FaultLab.Workloads.Kernel;

// PLACEHOLDER (bench branch): the real measurement of this machine's own page faults is being written on another
// branch with exactly this API and replaces this file at merge. Until then nothing is measured.

/// <summary>One access pattern's real page faults on this machine.</summary>
public sealed record KernelFaultResult(string Pattern, int Pages, long MinorFaults, long MajorFaults, double NsPerFault, double NsPerPage);

/// <summary>This machine's own page-fault costs, for the patterns the simulated workloads model.</summary>
public static class KernelFaults
{
    /// <summary>Whether <see cref="Measure"/> can measure here (placeholder: never).</summary>
    public static bool IsSupported { get; }

    /// Patterns: "anon-zfod", "file-read", "file-cow", "fork-cow" (same access patterns as the simulated workloads).
    public static IReadOnlyList<KernelFaultResult> Measure(int pages = 4096, int repetitions = 5) => [];
}
