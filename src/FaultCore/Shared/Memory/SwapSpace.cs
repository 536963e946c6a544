namespace FaultLab.Core;

/// <summary>
/// Swap: S slots of real 4 KiB contents, numbered 1..S (0 means "no slot", as an_swslot does).
/// </summary>
internal sealed class SwapSpace
{
    public const int SWSLOT_BAD = -1;

    private readonly byte[] store;
    private readonly int[] freeStack;
    private readonly bool[] inUse;
    private int freeTop;

    public SwapSpace(int nslots)
    {
        if (nslots > MachineConfig.MaxSwapSlots)
            throw new ArgumentOutOfRangeException(nameof(nslots), MachineConfig.SizeProblem("swap slots", nslots, 0, MachineConfig.MaxSwapSlots, "of swap"));
        NSlots = Math.Max(0, nslots);
        store = GC.AllocateUninitializedArray<byte>(checked((NSlots + 1) * Param.PAGE_SIZE));
        freeStack = new int[NSlots];
        inUse = new bool[NSlots + 1];
        for (int s = NSlots; s >= 1; s--)
            freeStack[freeTop++] = s;
    }

    public int NSlots { get; }
    public int FreeSlots => freeTop;
    public bool IsFull => freeTop == 0;

    /// <summary>uvm_swap_alloc of one slot; 0 when swap is full.</summary>
    public int Alloc()
    {
        if (freeTop == 0)
            return 0;
        int s = freeStack[--freeTop];
        inUse[s] = true;
        return s;
    }

    /// <summary>uvm_swap_free.</summary>
    public void Free(int slot)
    {
        if (slot <= 0 || !inUse[slot])
            throw new InvalidOperationException($"uvm_swap_free: slot {slot} is not allocated");
        inUse[slot] = false;
        freeStack[freeTop++] = slot;
    }

    public bool IsAllocated(int slot) => slot > 0 && slot <= NSlots && inUse[slot];

    public Span<byte> Slot(int slot) => store.AsSpan(slot * Param.PAGE_SIZE, Param.PAGE_SIZE);
}
