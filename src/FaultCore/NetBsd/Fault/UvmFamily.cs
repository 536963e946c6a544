namespace FaultLab.Core;

/// <summary>
/// The fault case of an access's final, successful pass (SEMANTICS.md): the NetBSD family's outcomes. The
/// values are the <see cref="Outcome.Code"/>s <see cref="UvmFamily"/> declares (1A is code 1 …).
/// </summary>
public enum FaultCase : byte
{
    /// <summary>No fault: the pmap already had a mapping with the needed right.</summary>
    Hit = 0,
    /// <summary>uvm_fault_upper_direct.</summary>
    Upper1A = 1,
    /// <summary>uvm_fault_upper_promote.</summary>
    Upper1B = 2,
    /// <summary>uvm_fault_lower_direct.</summary>
    Lower2A = 3,
    /// <summary>uvm_fault_lower_promote (object copy or zero fill).</summary>
    Lower2B = 4,
    /// <summary>The access failed; see <see cref="AccessResult.Error"/>.</summary>
    Failed = byte.MaxValue,
}

/// <summary>The NetBSD UVM family: its vocabulary and its machines (<see cref="Machine"/>).</summary>
public static class UvmFamily
{
    /// <summary>The outcome names, in <see cref="FaultCase"/> order.</summary>
    public static IReadOnlyList<string> Outcomes { get; } = ["1A", "1B", "2A", "2B"];

    public static MachineFamily Instance { get; } = new(
        name: "netbsd",
        description: "NetBSD UVM, uvm_fault.c 1.208: amaps and anons over objects",
        outcomes: Outcomes,
        keys:
        [
            new AccessKey("restarts", AccessKeySource.Restarts, "passes the fault redid (ERESTART) before the final one"),
            new AccessKey("neighbors", AccessKeySource.Detail0, "resident neighbour pages the fault mapped (fltnamap + fltnomap)"),
        ],
        ownCounters: UvmCounters.Names,
        create: config => new Machine(config));

    public static Outcome ToOutcome(this FaultCase c) => new((byte)c);

    /// <summary>The access's outcome as the NetBSD family's fault case.</summary>
    public static FaultCase CaseOf(AccessResult result) => (FaultCase)result.Outcome.Code;

    /// <summary>Resident neighbour pages the fault mapped (<see cref="AccessResult.Detail0"/>).</summary>
    public static int NeighborsOf(AccessResult result) => result.Detail0;
}
