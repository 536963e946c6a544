namespace FaultLab.Core;

/// <summary>
/// A pool of unmanaged records addressed by index (1..); index 0 is never handed out, so a zero id means NULL.
/// The fault path only takes from the pool (<see cref="TryAlloc"/>); the pool grows only when an operation
/// outside a fault asks for headroom (<see cref="Reserve"/>) or allocates with <see cref="AllocGrowing"/>.
/// </summary>
internal sealed class Pool<T> where T : unmanaged
{
    private T[] items;
    private int[] nextFree;
    private int freeHead;      // 0: empty free list
    private int highWater = 1; // next never-used index
    private readonly bool fixedSize;

    public Pool(int initialCapacity, bool fixedSize = false)
    {
        items = new T[initialCapacity + 1];
        nextFree = new int[initialCapacity + 1];
        this.fixedSize = fixedSize;
    }

    /// <summary>Records in use.</summary>
    public int InUse { get; private set; }

    public int Capacity => items.Length - 1;

    public int Free => Capacity - InUse;

    /// <summary>One past the highest index ever handed out: every live index is below it.</summary>
    public int HighWater => highWater;

    public ref T this[int index] => ref items[index];

    /// <summary>Takes a zeroed record, or returns 0 when the pool is exhausted (never grows).</summary>
    public int TryAlloc()
    {
        int i;
        if (freeHead != 0)
        {
            i = freeHead;
            freeHead = nextFree[i];
        }
        else if (highWater < items.Length)
        {
            i = highWater++;
        }
        else
        {
            return 0;
        }
        nextFree[i] = -1; // in use
        items[i] = default;
        InUse++;
        return i;
    }

    /// <summary>Takes a record, growing the pool if needed. Not for the fault path.</summary>
    public int AllocGrowing()
    {
        Reserve(1);
        return TryAlloc();
    }

    public void Release(int index)
    {
        if (index <= 0 || index >= highWater || nextFree[index] != -1)
            throw new InvalidOperationException($"{typeof(T).Name} {index} released twice or never allocated");
        items[index] = default;
        nextFree[index] = freeHead;
        freeHead = index;
        InUse--;
    }

    public bool IsLive(int index) => index > 0 && index < highWater && nextFree[index] == -1;

    /// <summary>Makes sure <paramref name="count"/> records can be taken without growing.</summary>
    public void Reserve(int count)
    {
        if (Free >= count || fixedSize)
            return;
        int newCap = Math.Max(Capacity * 2, InUse + count * 2);
        Array.Resize(ref items, newCap + 1);
        Array.Resize(ref nextFree, newCap + 1);
    }
}
