namespace FaultLab.Core;

/// <summary>
/// The counters every family has, at these indices of <see cref="MachineFamily.Counters"/>. Each family says
/// which of its own counters (or which sum of them) each one is.
/// </summary>
public enum CommonCounter
{
    /// <summary>Calls of the fault entry point: every trap, wiring fault and failed fault.</summary>
    Faults,
    /// <summary>Faults that ended in a mapping of the faulting page (one per successful fault).</summary>
    Resolved,
    /// <summary>Pages faults entered in pmaps: the faulting pages and any neighbours mapped with them.</summary>
    Entered,
    /// <summary>Faults (or fault stages) that waited for no I/O, as rusage's ru_minflt counts them.</summary>
    Minor,
    /// <summary>Faults that waited for a pager or swap read, as rusage's ru_majflt counts them.</summary>
    Major,
    /// <summary>Pages a fault zero-filled.</summary>
    ZeroFills,
    /// <summary>Pages a fault copied (copy-on-write).</summary>
    Copies,
    /// <summary>Pager reads a fault started (swap or file).</summary>
    PageIns,
}

/// <summary>
/// What a family's machines can do beyond anonymous memory, processes and accesses (which every family has).
/// Without one, the scenario language refuses its statements and the checker never generates them.
/// </summary>
[Flags]
public enum FamilyFeatures
{
    None = 0,
    /// <summary>Files, and mappings of them.</summary>
    Files = 1,
    /// <summary>mlock/munlock and wired mappings.</summary>
    Wiring = 2,
    /// <summary>loan/unloan (UVM's uvm_loan).</summary>
    Loans = 4,
    /// <summary>pageout of a range.</summary>
    Pageout = 8,
    All = Files | Wiring | Loans | Pageout,
}

/// <summary>Where the value of an access key (<see cref="MachineFamily.Keys"/>) is in an <see cref="AccessResult"/>.</summary>
public enum AccessKeySource : byte
{
    Restarts,
    Detail0,
    Detail1,
}

/// <summary>A count an access reports besides its outcome (the scenario language's <c>key=N</c>).</summary>
public sealed record AccessKey(string Name, AccessKeySource Source, string Description)
{
    public int Read(in AccessResult result) => Source switch
    {
        AccessKeySource.Restarts => result.Restarts,
        AccessKeySource.Detail0 => result.Detail0,
        _ => result.Detail1,
    };
}

/// <summary>
/// A fault-handler family: its name, the vocabulary its machines speak (fault outcomes, the counts an access
/// reports, its counters) and the factory of its machines. The lab around the model (scenarios, the checker,
/// workloads, benchmarks) knows a family only through this and <see cref="IMachine"/>.
/// </summary>
public sealed class MachineFamily
{
    /// <summary>The counters every family has, in <see cref="CommonCounter"/> order.</summary>
    public static IReadOnlyList<string> CommonCounters { get; } =
        ["faults", "resolved", "entered", "minor", "major", "zerofills", "copies", "pageins"];

    private readonly Func<MachineConfig, IMachine> create;

    /// <param name="name">How the lab spells the family (<c>machine family=NAME</c>).</param>
    /// <param name="description">One line: the source the family models.</param>
    /// <param name="outcomes">The family's fault outcomes, <see cref="Outcome.Code"/> 1 … n in this order.</param>
    /// <param name="keys">The counts an access reports, in the order a transcript writes them.</param>
    /// <param name="ownCounters">The family's own counters; one spelled as a common counter is that counter.</param>
    /// <param name="create">Makes a machine of the family.</param>
    /// <param name="features">What its machines can do beyond anonymous memory.</param>
    /// <param name="semantics">Where its contract answers differently from the NetBSD family's (default: nowhere).</param>
    public MachineFamily(string name, string description, IReadOnlyList<string> outcomes, IReadOnlyList<AccessKey> keys,
        IReadOnlyList<string> ownCounters, Func<MachineConfig, IMachine> create, FamilyFeatures features = FamilyFeatures.All,
        FamilySemantics? semantics = null)
    {
        string[] reserved = ["hit", "failed", "ok"];
        if (outcomes.Count is 0 or >= byte.MaxValue - 1 || outcomes.Distinct().Count() != outcomes.Count || outcomes.Any(reserved.Contains))
            throw new ArgumentException($"family {name}: outcomes must be 1 to 253 distinct names other than hit, failed and ok", nameof(outcomes));
        if (keys.Select(k => k.Name).Concat(["prot", "value"]).Distinct().Count() != keys.Count + 2)
            throw new ArgumentException($"family {name}: key names must be distinct and not prot or value", nameof(keys));
        Name = name;
        Description = description;
        Outcomes = outcomes;
        Keys = keys;
        Counters = [.. CommonCounters, .. ownCounters.Where(c => !CommonCounters.Contains(c)).Distinct()];
        OwnCounters = ownCounters;
        Features = features;
        Semantics = semantics ?? FamilySemantics.Default;
        this.create = create;
    }

    /// <summary>What its machines can do beyond anonymous memory, processes and accesses.</summary>
    public FamilyFeatures Features { get; }

    public bool Has(FamilyFeatures feature) => (Features & feature) == feature;

    /// <summary>Where its contract answers differently from the NetBSD family's (what the checker's oracle reads).</summary>
    public FamilySemantics Semantics { get; }

    public string Name { get; }
    public string Description { get; }

    /// <summary>The names of the fault outcomes (without <c>hit</c>): <see cref="Outcome.Fault"/>'s index.</summary>
    public IReadOnlyList<string> Outcomes { get; }

    /// <summary>The counts an access reports (besides <c>prot</c> and <c>value</c>, which every family has).</summary>
    public IReadOnlyList<AccessKey> Keys { get; }

    /// <summary>Every counter name: the <see cref="CommonCounters"/>, then the family's own.</summary>
    public IReadOnlyList<string> Counters { get; }

    /// <summary>The family's own counters as it declared them (some may also be common ones).</summary>
    public IReadOnlyList<string> OwnCounters { get; }

    /// <summary>A machine of this family.</summary>
    public IMachine Create(MachineConfig config) => create(config);

    /// <summary><c>hit</c>, the outcome's name, or <c>failed</c>.</summary>
    public string OutcomeName(Outcome outcome) =>
        outcome.IsHit ? "hit" : outcome.IsFault && outcome.Code <= Outcomes.Count ? Outcomes[outcome.Code - 1] : "failed";

    /// <summary><c>hit</c> or one of <see cref="Outcomes"/>; false for any other name.</summary>
    public bool TryParseOutcome(string name, out Outcome outcome)
    {
        if (name == "hit")
        {
            outcome = Outcome.Hit;
            return true;
        }
        for (int i = 0; i < Outcomes.Count; i++)
        {
            if (Outcomes[i] == name)
            {
                outcome = Outcome.Fault(i);
                return true;
            }
        }
        outcome = Outcome.Failed;
        return false;
    }

    /// <summary>The index of the counter of that name in <see cref="Counters"/>, or -1.</summary>
    public int CounterIndex(string name)
    {
        for (int i = 0; i < Counters.Count; i++)
            if (Counters[i] == name)
                return i;
        return -1;
    }

    /// <summary>The access key of that name, or null.</summary>
    public AccessKey? Key(string name) => Keys.FirstOrDefault(k => k.Name == name);

    /// <summary>The NetBSD UVM family (uvm_fault.c 1.208).</summary>
    public static MachineFamily NetBsd => UvmFamily.Instance;

    /// <summary>The FreeBSD 1995 family (vm_fault.c 1.32, shadow-object chains).</summary>
    public static MachineFamily FreeBsd => FreeBsdFamily.Instance;

    public override string ToString() => Name;
}

/// <summary>
/// The families a scenario or a command may name. <see cref="BuiltIn"/> holds the lab's; a test may make a catalog
/// with a family of its own.
/// </summary>
public sealed class MachineCatalog
{
    public MachineCatalog(IEnumerable<MachineFamily> families)
    {
        Families = [.. families];
        if (Families.Count == 0 || Families.Select(f => f.Name).Distinct().Count() != Families.Count)
            throw new ArgumentException("a catalog holds one or more families of distinct names", nameof(families));
    }

    /// <summary>The lab's families; the first is the default.</summary>
    public static MachineCatalog BuiltIn { get; } = new([MachineFamily.NetBsd, MachineFamily.FreeBsd]);

    public IReadOnlyList<MachineFamily> Families { get; }

    /// <summary>The family a scenario without <c>family=</c> runs on.</summary>
    public MachineFamily Default => Families[0];

    public IReadOnlyList<string> Names => Families.Select(f => f.Name).ToArray();

    /// <summary>The family of that name, or null.</summary>
    public MachineFamily? Find(string name) => Families.FirstOrDefault(f => f.Name == name);

    /// <summary>This catalog and one more family.</summary>
    public MachineCatalog With(MachineFamily family) => new([.. Families, family]);

    /// <summary>The other families that have an outcome of that name (to say whose it is).</summary>
    public IEnumerable<MachineFamily> OutcomeOwners(string name, MachineFamily except) =>
        Families.Where(f => f != except && f.Outcomes.Contains(name));

    /// <summary>The other families that have a counter of that name.</summary>
    public IEnumerable<MachineFamily> CounterOwners(string name, MachineFamily except) =>
        Families.Where(f => f != except && f.Counters.Contains(name));

    /// <summary>The other families that have an access key of that name.</summary>
    public IEnumerable<MachineFamily> KeyOwners(string name, MachineFamily except) =>
        Families.Where(f => f != except && f.Key(name) is not null);
}
