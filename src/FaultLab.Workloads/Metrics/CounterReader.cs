using FaultLab.Core;

namespace FaultLab.Workloads.Metrics;

/// <summary>
/// The one place the lab's metrics read a machine's counters, by family-neutral name: faults (every entry),
/// resolved (faults that mapped their page), minor, major, zerofills (pages zero-filled), copies (pages copied: anon copy-on-write and object promotions)
/// and pageins, and the family's own counters by their own names (UVM's <c>flt_anon</c>, ...), through
/// <see cref="MachineCounters.TryGetCounter"/>.
/// </summary>
public static class CounterReader
{
    /// <summary>The family-neutral counters every family serves, in the order they are published.</summary>
    public static IReadOnlyList<string> Neutral { get; } = ["faults", "resolved", "minor", "major", "zerofills", "copies", "pageins"];

    /// <summary>How the faults were resolved (the outcome tag of <c>faultlab.by_outcome</c>) and the family's counter
    /// of each: 1A, 1B, 2A and the two kinds of 2B of uvm_fault.c 1.208.</summary>
    public static IReadOnlyList<(string Outcome, string Counter)> Outcomes { get; } =
        [("1A", "flt_anon"), ("1B", "flt_acow"), ("2A", "flt_obj"), ("2B-zero", "flt_przero"), ("2B-copy", "flt_prcopy")];

    /// <summary>A counter of the machine by its family-neutral (or its own) name; false when it has no such counter.</summary>
    public static bool TryRead(IMachine machine, string name, out long value) => machine.TryGetCounter(name, out value);
}
