namespace FaultLab.Core;

/// <summary>
/// System-wide counters of the FreeBSD 1995 family, named and incremented as the 1995 code does (cnt.v_*, the
/// object_collapses / object_bypasses statistics of vm_object.c, and the rusage ru_minflt / ru_majflt increments
/// summed over processes). <see cref="FreeBsdFamily"/> maps the common counters onto them.
/// </summary>
internal struct FbsdCounters
{
    public long v_vm_faults;
    public long v_cow_faults;
    public long v_zfod;
    public long v_intrans;
    public long v_vnodein;
    public long v_vnodepgsin;
    public long v_swapin;
    public long v_swappgsin;
    public long object_collapses;
    public long object_bypasses;
    public long minflt;
    public long majflt;

    /// <summary>The counter names, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "v_vm_faults", "v_cow_faults", "v_zfod", "v_intrans", "v_vnodein", "v_vnodepgsin", "v_swapin",
        "v_swappgsin", "object_collapses", "object_bypasses", "minflt", "majflt",
    ];

    public readonly long Get(string name) => name switch
    {
        "v_vm_faults" => v_vm_faults,
        "v_cow_faults" => v_cow_faults,
        "v_zfod" => v_zfod,
        "v_intrans" => v_intrans,
        "v_vnodein" => v_vnodein,
        "v_vnodepgsin" => v_vnodepgsin,
        "v_swapin" => v_swapin,
        "v_swappgsin" => v_swappgsin,
        "object_collapses" => object_collapses,
        "object_bypasses" => object_bypasses,
        "minflt" => minflt,
        "majflt" => majflt,
        _ => throw new ArgumentException($"no counter named '{name}'", nameof(name)),
    };

    /// <summary>The common counters (<see cref="CommonCounter"/>) in this family's terms.</summary>
    public readonly long Get(CommonCounter counter) => counter switch
    {
        // every call of vm_fault, wiring and failed faults included
        CommonCounter.Faults => v_vm_faults,
        // every successful vm_fault ends in exactly one rusage increment (seed 654-660)
        CommonCounter.Resolved => minflt + majflt,
        // pmap_prefault is #if 0: a fault enters only its own page
        CommonCounter.Entered => minflt + majflt,
        CommonCounter.Minor => minflt,
        CommonCounter.Major => majflt,
        CommonCounter.ZeroFills => v_zfod,
        CommonCounter.Copies => v_cow_faults,
        CommonCounter.PageIns => v_vnodein + v_swapin,
        _ => throw new ArgumentOutOfRangeException(nameof(counter)),
    };
}

/// <summary>The FreeBSD 1995 family: its vocabulary and its machines (<see cref="FreeBsdMachine"/>).</summary>
public static class FreeBsdFamily
{
    /// <summary>The outcome names, in <see cref="FbsdCase"/> order.</summary>
    public static IReadOnlyList<string> Outcomes { get; } = ["soft", "zfod", "cow", "shadow"];

    public static MachineFamily Instance { get; } = new(
        name: "freebsd",
        description: "FreeBSD 1995, vm_fault.c 1.32: Mach shadow-object chains",
        outcomes: Outcomes,
        keys:
        [
            new AccessKey("depth", AccessKeySource.Detail0, "the level of the object the data was found in (0 = the first object)"),
            new AccessKey("io", AccessKeySource.Detail1, "pages the pager read in this fault"),
            new AccessKey("restarts", AccessKeySource.Restarts, "passes the fault redid (goto RetryFault) before the final one"),
        ],
        ownCounters: FbsdCounters.Names,
        create: config => new FreeBsdMachine(config),
        features: FamilyFeatures.Files | FamilyFeatures.Wiring | FamilyFeatures.Pageout,
        semantics: new FamilySemantics
        {
            MadviseSupported = false,
            ForkMapsWiredCopiesWithMaxProtection = true,
            CopyMayUnmapWiredPages = true,
        });

    internal static Outcome ToOutcome(this FbsdCase c) => new((byte)c);
}
