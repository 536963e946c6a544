using FaultLab.Core;

namespace FaultLab.Workloads.Metrics;

/// <summary>
/// The one place the lab's metrics read a machine's counters, by family-neutral name: faults (resolved and not),
/// minor, major, zerofills (pages zero-filled), copies (pages copied: anon copy-on-write and object promotions)
/// and pageins. Today it maps them onto the UVM counter struct; once <see cref="IMachine"/> serves counters by
/// name, <see cref="TryRead"/> becomes that one call.
/// </summary>
public static class MachineCounters
{
    /// <summary>The family-neutral counters every family serves, in the order they are published.</summary>
    public static IReadOnlyList<string> Neutral { get; } = ["faults", "minor", "major", "zerofills", "copies", "pageins"];

    /// <summary>A counter of the machine by its family-neutral name; false when the machine has no such counter.</summary>
    public static bool TryRead(IMachine machine, string name, out long value)
    {
        ref readonly var c = ref machine.Counters;
        value = name switch
        {
            "faults" => c.faults,
            "minor" => c.minflt,
            "major" => c.majflt,
            "zerofills" => c.flt_przero,
            "copies" => c.flt_acow + c.flt_prcopy,
            "pageins" => c.pageins,
            _ => -1,
        };
        return value >= 0;
    }
}
