namespace FaultLab.Core;

public sealed partial class Machine
{
    /// <summary>
    /// The kernel sleeps in uvm_wait until memory frees up; the model's page daemon runs synchronously instead,
    /// so a fault that keeps running out of memory gives up with ENOMEM after this many waits.
    /// </summary>
    internal const int MaxWaitsPerFault = 64;

    private UvmCounters counters;

    internal readonly PhysMem Mem;
    internal readonly SwapSpace Swap;
    internal readonly PmapSystem Pmaps;
    internal readonly Pool<VmAnon> Anons;
    internal readonly Pool<VmAmap> Amaps;
    internal readonly SlotArena AmapSlots;
    internal readonly Pool<VmMapEntry> Entries;
    internal readonly List<UvmObject> Objects = [null!];
    internal readonly List<VmProc?> Procs = [null];
    internal readonly List<LoanRecord> Loans = [];

    /// <summary>The family's locks (UvmLocks): what each operation holds, asserted in the checked configuration.</summary>
    internal readonly UvmLocks Locks = new();

    /// <summary>
    /// The page of uvm_loanzero_object: the single zero page lent for copy-on-write ranges with nothing behind
    /// them, allocated on the first such loan and kept from then on (NULL until then).
    /// </summary>
    internal PageId LoanZeroPage;

    /// <summary>The fault path this machine runs.</summary>
    internal readonly FaultPath Path;

    /// <summary>How many pages uvm_wait asks the page daemon to free.</summary>
    internal readonly int FreeTarget;

    public Machine(MachineConfig? config = null)
    {
        // Settle the checked configuration before any fault-path method is compiled, so that the JIT folds K.Checked
        // even with tiered compilation off (a static readonly is a constant only once its class is initialized).
        _ = K.Checked;
        Config = config ?? new MachineConfig();
        if (Config.Problem() is { } problem)
            throw new ArgumentOutOfRangeException(nameof(config), problem);
        if (!Enum.IsDefined(Config.Path))
            throw new ArgumentOutOfRangeException(nameof(config), $"unknown fault path {Config.Path}");
        Path = Config.Path;
        Mem = new PhysMem(Config.Pages);
        Swap = new SwapSpace(Config.SwapSlots);
        Pmaps = new PmapSystem(Config.PageTablePages, Mem);
        // Every live anon holds a page or a swap slot, so this bound is never reached.
        Anons = new Pool<VmAnon>(Config.Pages + Config.SwapSlots + 2 * Param.UVM_MAXRANGE, fixedSize: true);
        Amaps = new Pool<VmAmap>(64);
        AmapSlots = new SlotArena(1024);
        Entries = new Pool<VmMapEntry>(64);
        FreeTarget = Math.Clamp(Config.Pages / 64, 4, 64);
    }

    internal ref UvmCounters Cnt => ref counters;

    /// <summary>Records of exited processes, for the next process to reuse.</summary>
    internal readonly Stack<VmProc> DeadProcs = new();

    internal VmProc? Proc(ProcId p)
    {
        int slot = VmProc.SlotOf(p.Value);
        return slot > 0 && slot < Procs.Count && Procs[slot] is { } v && v.Generation == VmProc.GenerationOf(p.Value) ? v : null;
    }

    private bool IsAliveImpl(ProcId p) => Proc(p) is { Alive: true };

    private int FreePagesImpl => Mem.FreeCount;

    /// <summary>
    /// Makes sure the pools the fault path takes from have room for one fault on an entry of up to
    /// <paramref name="maxEntryPages"/> pages: pools grow here, outside the fault, never inside it.
    /// </summary>
    internal void ReserveForFault(int maxEntryPages)
    {
        Amaps.Reserve(2);
        AmapSlots.Reserve(maxEntryPages);
        Pmaps.Pv.Reserve(2 * Param.UVM_MAXRANGE);
    }

    /// <summary>
    /// <see cref="ReserveForFault"/> for a fault at <paramref name="va"/>: the only amap such a fault may copy is
    /// that of the entry holding va.
    /// </summary>
    internal void ReserveForFaultAt(VmProc p, ulong va) =>
        ReserveForFault(LookupEntry(p, va, out var e) ? Entries[e.Index].NPages : 1);
}
