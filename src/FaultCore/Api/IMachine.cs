namespace FaultLab.Core;

/// <summary>
/// A simulated machine of one fault-handler family: the process operations, the inspections scenarios and the
/// checker need, the counters and a fingerprint of what the processes can observe. Scenarios, the checker, the
/// lockstep runner, the workloads, the profiling host and the benchmarks see a machine only through this; each
/// family implements it (<see cref="Machine"/> is the NetBSD UVM family) and its <see cref="MachineFamily"/> makes one.
/// Nothing here throws for bad input: every impossible request gets its errno.
/// </summary>
public interface IMachine
{
    /// <summary>The family this machine is of: its outcome, key and counter names.</summary>
    MachineFamily Family { get; }

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

    /// <summary>The system-wide counter at <paramref name="index"/> of <see cref="MachineFamily.Counters"/>
    /// (the <see cref="CommonCounter"/>s first); by name through <see cref="MachineCounters.Counter"/>.</summary>
    long Counter(int index);

    /// <summary>Sets every counter to zero.</summary>
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

/// <summary>Counters by name, for every family.</summary>
public static class MachineCounters
{
    /// <summary>The counter of that name; false if the machine's family has none of that name.</summary>
    public static bool TryGetCounter(this IMachine machine, string name, out long value)
    {
        int index = machine.Family.CounterIndex(name);
        value = index >= 0 ? machine.Counter(index) : 0;
        return index >= 0;
    }

    /// <summary>The counter of that name.</summary>
    /// <exception cref="ArgumentException">The machine's family has no counter of that name.</exception>
    public static long Counter(this IMachine machine, string name) =>
        machine.TryGetCounter(name, out var value)
            ? value
            : throw new ArgumentException($"a {machine.Family.Name} machine has no counter named '{name}'", nameof(name));

    /// <summary>One of the counters every family has.</summary>
    public static long Counter(this IMachine machine, CommonCounter counter) => machine.Counter((int)counter);

    /// <summary>Every counter, in <see cref="MachineFamily.Counters"/> order, into <paramref name="values"/>.</summary>
    public static void ReadCounters(this IMachine machine, Span<long> values)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = machine.Counter(i);
    }
}
