namespace FaultLab.Core;

/// <summary>
/// A simulated machine of one fault-handler family: the process operations, the inspections scenarios and the
/// checker need, the counters and a fingerprint of what the processes can observe. Scenarios, the checker, the
/// lockstep runner, the workloads, the profiling host and the benchmarks see a machine only through this; each
/// family implements it (<see cref="Machine"/> is the NetBSD UVM family) and <see cref="Machines"/> makes one.
/// Nothing here throws for bad input: every impossible request gets its errno.
/// </summary>
public interface IMachine
{
    MachineConfig Config { get; }

    // ---- the process operations

    /// <summary>A file of <paramref name="pages"/> pages; byte k of page i holds (i + k) &amp; 0xff.</summary>
    FileId CreateFile(int pages, bool resident);

    /// <summary>A new process with an empty address space (id 0 when none can be made).</summary>
    ProcId CreateProcess();

    Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file = default, long pgoff = 0, bool wired = false);
    Errno Munmap(ProcId p, ulong addr, int npages);
    Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot);
    Errno Madvise(ProcId p, ulong addr, int npages, Advice advice);
    Errno Mlock(ProcId p, ulong addr, int npages);
    Errno Munlock(ProcId p, ulong addr, int npages);
    Errno Loan(ProcId p, ulong addr, int npages);
    Errno Unloan(ProcId p, ulong addr, int npages);
    Errno Fork(ProcId parent, out ProcId child);
    Errno Exit(ProcId p);

    /// <summary>A byte read at <paramref name="addr"/>: a pmap hit, or one call of the fault entry point.</summary>
    AccessResult Read(ProcId p, ulong addr);

    /// <summary>A byte written at <paramref name="addr"/>: a pmap hit, or one call of the fault entry point.</summary>
    AccessResult Write(ProcId p, ulong addr, byte value);

    Errno Pageout(ProcId p, ulong addr, int npages);

    /// <summary>Runs the page daemon until it freed <paramref name="npages"/> pages or can free no more; how many it freed.</summary>
    int PageDaemon(int npages);

    // ---- counters

    /// <summary>The system-wide counters.</summary>
    ref readonly Counters Counters { get; }

    void ResetCounters();

    // ---- inspection: never faults, never changes state

    int CountMapped(ProcId p, ulong addr, int npages);
    int CountResident(ProcId p, ulong addr, int npages);
    int CountWired(ProcId p, ulong addr, int npages);
    Prot MappedProt(ProcId p, ulong addr);
    bool TryPeek(ProcId p, ulong addr, out byte value);
    bool IsAlive(ProcId p);
    int FreePages { get; }

    /// <summary>The model's invariants; one line per violation (empty when all hold).</summary>
    IReadOnlyList<string> CheckInvariants();

    /// <summary>A hash of what the processes can observe (their mappings and page contents) and the counters.</summary>
    ulong Fingerprint();
}

/// <summary>The fault-handler families the lab models.</summary>
public enum MachineFamily : byte
{
    /// <summary>NetBSD UVM, uvm_fault.c 1.208.</summary>
    NetBsd,
}

/// <summary>Makes machines, keyed by family and (through <see cref="MachineConfig.Path"/>) fault path.</summary>
public static class Machines
{
    /// <summary>The family's name as the lab spells it (netbsd).</summary>
    public static string NameOf(MachineFamily family) => family.ToString().ToLowerInvariant();

    /// <summary>Every family's name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<MachineFamily>().Select(NameOf).ToArray();

    /// <summary>The family of that name; false for a name that is none.</summary>
    public static bool TryParse(string name, out MachineFamily family)
    {
        foreach (var candidate in Enum.GetValues<MachineFamily>())
        {
            if (NameOf(candidate) == name)
            {
                family = candidate;
                return true;
            }
        }
        family = default;
        return false;
    }

    public static IMachine Create(MachineFamily family, MachineConfig config) => family switch
    {
        MachineFamily.NetBsd => new Machine(config),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown machine family"),
    };
}
