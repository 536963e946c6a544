using System.Numerics;

namespace FaultLab.Core;

/// <summary>
/// Storage for amap slot arrays (am_anon[]): one array of anon ids carved into power-of-two blocks with a free
/// list per size class. Grows only through <see cref="Reserve"/>, which operations call before a fault.
/// </summary>
internal sealed class SlotArena
{
    private const int Classes = 32;
    private AnonId[] slots;
    private readonly int[] freeHeads = new int[Classes]; // 0 = empty (index 0 is never a block)
    private int bump = 1;

    public SlotArena(int capacity) => slots = new AnonId[Math.Max(capacity, 64) + 1];

    public Span<AnonId> Block(int baseIndex, int nslot) => slots.AsSpan(baseIndex, nslot);

    public ref AnonId this[int index] => ref slots[index];

    private static int ClassOf(int nslot) => BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(nslot, 1)));

    /// <summary>A zeroed block of at least <paramref name="nslot"/> slots, or 0 when the arena is full.</summary>
    public int TryAlloc(int nslot)
    {
        int c = ClassOf(nslot);
        int size = 1 << c;
        int b = freeHeads[c];
        if (b != 0)
        {
            freeHeads[c] = slots[b].Index; // the free list is threaded through the blocks' first slot
        }
        else if (bump + size <= slots.Length)
        {
            b = bump;
            bump += size;
        }
        else
        {
            return 0;
        }
        slots.AsSpan(b, size).Clear();
        return b;
    }

    public void Free(int baseIndex, int nslot)
    {
        int c = ClassOf(nslot);
        slots.AsSpan(baseIndex, 1 << c).Clear();
        slots[baseIndex] = new AnonId(freeHeads[c]);
        freeHeads[c] = baseIndex;
    }

    /// <summary>Makes sure a block of <paramref name="nslot"/> slots can be taken twice without growing.</summary>
    public void Reserve(int nslot)
    {
        int c = ClassOf(nslot);
        int need = 2 << c;
        if (bump + need <= slots.Length)
            return;
        Array.Resize(ref slots, Math.Max(slots.Length * 2, bump + need * 2));
    }
}
