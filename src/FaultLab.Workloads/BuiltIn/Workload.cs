using FaultLab.Core;

namespace FaultLab.Workloads.BuiltIn;

/// <summary>The data work a fault of a workload cannot do without: the baseline its cost is compared with.</summary>
public enum DataFloor
{
    /// <summary>No data is zeroed or copied per fault.</summary>
    None,
    /// <summary>Zeroing one 4 KiB page (zero-fill faults).</summary>
    ZeroPage,
    /// <summary>Copying one 4 KiB page (copy-on-write faults).</summary>
    CopyPage,
}

/// <summary>
/// A benchmark workload: a machine set up once, then driven in batches. A batch first undoes what the last one
/// did (so that every batch faults the same way), then performs its accesses. After <see cref="Setup"/> a batch
/// allocates nothing on the GC heap, and its fault counts are the same every time.
/// </summary>
public abstract class Workload
{
    protected const ulong Base = 0x100000;
    protected const int PageSize = 4096;

    private IMachine? machine;

    /// <summary>The workload's name on the command line (e.g. soft-refault).</summary>
    public abstract string Name { get; }

    /// <summary>One line: what it exercises.</summary>
    public abstract string Description { get; }

    public virtual DataFloor Floor => DataFloor.None;

    /// <summary>The fault path the machine runs.</summary>
    public FaultPath Path { get; private set; }

    public IMachine Machine => machine ?? throw new InvalidOperationException($"{Name}: call Setup first");

    /// <summary>Faults one batch resolves (BenchmarkDotNet's OperationsPerInvoke).</summary>
    public int FaultsPerBatch { get; private set; }

    /// <summary>Pages one batch's faults enter: the faulting pages and their neighbours.</summary>
    public int PagesPerBatch { get; private set; }

    /// <summary>The machine of a workload: enough memory that nothing is paged out.</summary>
    protected virtual MachineConfig Config => new() { Pages = 2048, SwapSlots = 0 };

    /// <summary>The family of the machine the workload runs on.</summary>
    public MachineFamily Family { get; private set; } = MachineFamily.NetBsd;

    /// <summary>Builds a NetBSD machine on <paramref name="path"/>, prepares it, and runs warm-up batches.</summary>
    public void Setup(FaultPath path) => Setup(path, MachineFamily.NetBsd);

    /// <summary>Builds a machine of <paramref name="family"/> on <paramref name="path"/>, prepares it, and runs
    /// warm-up batches.</summary>
    public void Setup(FaultPath path, MachineFamily family)
    {
        Path = path;
        Family = family;
        machine = family.Create(Config with { Path = path });
        Prepare(machine);
        // Warm up until a batch looks like the one before (the first ones may still promote or copy amaps).
        (int faults, int pages) last = (-1, -1);
        for (int i = 0; i < 8; i++)
        {
            var now = Measure();
            if (now == last)
                break;
            last = now;
        }
        (FaultsPerBatch, PagesPerBatch) = last;
        if (FaultsPerBatch <= 0)
            throw new InvalidOperationException($"{Name}: a batch resolved no fault");
    }

    /// <summary>Runs one batch and says how many faults it resolved and pages it entered.</summary>
    public (int Faults, int Pages) Measure()
    {
        var m = Machine;
        long faults = m.Counter(CommonCounter.Resolved), pages = m.Counter(CommonCounter.Entered);
        RunBatch();
        return ((int)(m.Counter(CommonCounter.Resolved) - faults), (int)(m.Counter(CommonCounter.Entered) - pages));
    }

    /// <summary>Maps and populates what the batches work on.</summary>
    protected abstract void Prepare(IMachine m);

    /// <summary>One batch: undo the last batch, then fault. Must not allocate.</summary>
    public abstract void RunBatch();

    protected static void Check(Errno e, string what)
    {
        if (e != Errno.OK)
            throw new InvalidOperationException($"{what} failed: {e}");
    }

    protected static void Check(AccessResult r, string what)
    {
        if (!r.Ok)
            throw new InvalidOperationException($"{what} failed: {r.Error}");
    }

    protected static ulong Page(int i) => Base + (ulong)i * PageSize;

    /// <summary>madvise, on a family that has it (<see cref="FamilySemantics.MadviseSupported"/>); a family whose
    /// madvise is a stub runs the workload with the advice it always has.</summary>
    protected static void Advise(IMachine m, ProcId p, ulong addr, int npages, Advice advice)
    {
        if (m.Family.Semantics.MadviseSupported)
            Check(m.Madvise(p, addr, npages, advice), "madvise");
    }
}
