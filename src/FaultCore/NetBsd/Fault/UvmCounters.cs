namespace FaultLab.Core;

/// <summary>
/// System-wide fault counters, named and incremented as in uvm_fault.c 1.208 (uvmexp.* and the rusage
/// ru_minflt / ru_majflt increments summed over processes): the NetBSD family's own counters
/// (<see cref="UvmFamily"/> maps the common ones onto them).
/// </summary>
public struct UvmCounters
{
    public long faults;
    public long fltamcopy;
    public long fltanget;
    public long fltanretry;
    public long flt_anon;
    public long flt_acow;
    public long flt_obj;
    public long flt_prcopy;
    public long flt_przero;
    public long fltnamap;
    public long fltnomap;
    public long fltlget;
    public long fltget;
    public long fltnoram;
    public long fltnoanon;
    public long fltpgwait;
    public long fltpgrele;
    public long pageins;
    public long minflt;
    public long majflt;

    /// <summary>The counter names, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "faults", "fltamcopy", "fltanget", "fltanretry", "flt_anon", "flt_acow", "flt_obj", "flt_prcopy",
        "flt_przero", "fltnamap", "fltnomap", "fltlget", "fltget", "fltnoram", "fltnoanon", "fltpgwait",
        "fltpgrele", "pageins", "minflt", "majflt",
    ];

    /// <summary>Reads a counter by its 1.208 name; false if there is no such counter.</summary>
    public readonly bool TryGet(string name, out long value)
    {
        value = name switch
        {
            "faults" => faults,
            "fltamcopy" => fltamcopy,
            "fltanget" => fltanget,
            "fltanretry" => fltanretry,
            "flt_anon" => flt_anon,
            "flt_acow" => flt_acow,
            "flt_obj" => flt_obj,
            "flt_prcopy" => flt_prcopy,
            "flt_przero" => flt_przero,
            "fltnamap" => fltnamap,
            "fltnomap" => fltnomap,
            "fltlget" => fltlget,
            "fltget" => fltget,
            "fltnoram" => fltnoram,
            "fltnoanon" => fltnoanon,
            "fltpgwait" => fltpgwait,
            "fltpgrele" => fltpgrele,
            "pageins" => pageins,
            "minflt" => minflt,
            "majflt" => majflt,
            _ => -1,
        };
        return value >= 0;
    }

    public readonly long Get(string name) =>
        TryGet(name, out var v) ? v : throw new ArgumentException($"no counter named '{name}'", nameof(name));

    /// <summary>The common counters (<see cref="CommonCounter"/>) in this family's terms.</summary>
    public readonly long Get(CommonCounter counter) => counter switch
    {
        CommonCounter.Faults => faults,
        CommonCounter.Resolved => Resolved,
        CommonCounter.Entered => Resolved + fltnamap + fltnomap,
        CommonCounter.Minor => minflt,
        CommonCounter.Major => majflt,
        CommonCounter.ZeroFills => flt_przero,
        CommonCounter.Copies => flt_acow + flt_prcopy,
        CommonCounter.PageIns => pageins,
        _ => throw new ArgumentOutOfRangeException(nameof(counter)),
    };

    /// <summary>Faults resolved: every successful pass ends in exactly one of these counters.</summary>
    private readonly long Resolved => flt_anon + flt_acow + flt_obj + flt_prcopy + flt_przero;
}
