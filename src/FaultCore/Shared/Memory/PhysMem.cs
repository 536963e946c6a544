using System.Runtime.CompilerServices;

namespace FaultLab.Core;

/// <summary>
/// Physical memory: N page records and N real 4 KiB frames, the free / active / inactive queues, and the
/// queue operations of uvm_page.c (uvm_pagealloc, uvm_pagefree, uvm_pageactivate, uvm_pagedeactivate,
/// uvm_pageenqueue, uvm_pagedequeue, uvm_pagewire, uvm_pageunwire).
/// </summary>
internal sealed class PhysMem
{
    private struct QueueHead
    {
        public int Head, Tail, Count;
    }

    private readonly VmPage[] pages;
    private readonly byte[] frames;
    /// <summary>Where frame 0 starts in <see cref="frames"/>: every frame is 4 KiB-aligned, as a physical page is,
    /// so zeroing and copying one runs on aligned, whole cache lines.</summary>
    private readonly int frameBase;
    private QueueHead free, active, inactive;

    public PhysMem(int npages)
    {
        if (npages < 1 || npages > MachineConfig.MaxPages)
            throw new ArgumentOutOfRangeException(nameof(npages), MachineConfig.SizeProblem("pages", npages, 1, MachineConfig.MaxPages, "of frames"));
        NPages = npages;
        pages = new VmPage[npages + 1];
        // Bounded by MaxPages, so the frame offsets (pg.Index * PAGE_SIZE) fit an int: checked says so.
        // Pinned (the pinned object heap never moves it), with a page of slack to align the first frame.
        frames = GC.AllocateUninitializedArray<byte>(checked((npages + 2) * Param.PAGE_SIZE), pinned: true);
        frameBase = AlignedStart(frames);
        for (int i = 1; i <= npages; i++)
            Insert(ref free, PageQueue.Free, i);
    }

    public int NPages { get; }
    public int FreeCount => free.Count;
    public int ActiveCount => active.Count;
    public int InactiveCount => inactive.Count;
    public int ActiveHead => active.Head;
    public int InactiveHead => inactive.Head;

    public ref VmPage this[PageId pg]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref pages[pg.Index];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Frame(PageId pg) => frames.AsSpan(frameBase + pg.Index * Param.PAGE_SIZE, Param.PAGE_SIZE);

    /// <summary>The offset of the first 4 KiB boundary in a pinned array.</summary>
    private static unsafe int AlignedStart(byte[] pinned)
    {
        fixed (byte* start = pinned)
            return (int)((Param.PAGE_SIZE - (long)((ulong)start % Param.PAGE_SIZE)) % Param.PAGE_SIZE);
    }

    /// <summary>Whether every frame starts on a 4 KiB boundary (for the tests).</summary>
    internal unsafe bool FramesAligned
    {
        get
        {
            fixed (byte* start = frames)
                return ((ulong)(start + frameBase) % Param.PAGE_SIZE) == 0;
        }
    }

    /// <summary>
    /// uvm_pagealloc: a page for <paramref name="anon"/> or object <paramref name="obj"/> at
    /// <paramref name="offset"/> (or for nobody), PG_BUSY|PG_FAKE|PG_CLEAN and on no queue; zeroed and dirty
    /// with <paramref name="zero"/> (UVM_PGA_ZERO). NULL when no page is free.
    /// </summary>
    public PageId Alloc(AnonId anon, ObjId obj, int offset, bool zero)
    {
        int i = free.Head;
        if (i == 0)
            return PageId.Null;
        Remove(ref free, i);
        var pg = new PageId(i);
        ref var p = ref pages[i];
        p = default;
        p.Anon = anon;
        p.Object = obj;
        p.Offset = offset;
        p.Flags = PageFlags.Busy | PageFlags.Fake | PageFlags.Clean;
        if (zero)
        {
            Frame(pg).Clear();
            p.Flags &= ~(PageFlags.Clean | PageFlags.Fake);
        }
        return pg;
    }

    /// <summary>uvm_pagefree: back to the free list. The caller has removed every mapping and ownership.</summary>
    public void Free(PageId pg)
    {
        ref var p = ref pages[pg.Index];
        // A wired page may be freed (uvm_pagefree drops the wiring); a mapped or lent one may not.
        if (p.LoanCount != 0 || p.PvHead != 0 || p.Queue == PageQueue.Free)
            throw new InvalidOperationException($"uvm_pagefree: {pg} loaned={p.LoanCount} mapped={p.PvHead != 0} queue={p.Queue}");
        Dequeue(pg);
        p = default;
        // To the head: the next allocation takes the most recently freed frame, still warm in the caches (as the
        // kernel's free lists do), not the coldest one.
        InsertHead(ref free, PageQueue.Free, pg.Index);
    }

    /// <summary>uvm_pageactivate: to the tail of the active queue, unless wired.</summary>
    public void Activate(PageId pg)
    {
        ref var p = ref pages[pg.Index];
        if (p.WireCount > 0)
            return;
        if (p.Queue == PageQueue.Active)
        {
            // The common case of a refault: already active. At the tail it stays where it is; else it moves there.
            if (active.Tail == pg.Index)
                return;
            Remove(ref active, pg.Index);
        }
        else
        {
            Dequeue(pg);
        }
        Insert(ref active, PageQueue.Active, pg.Index);
    }

    /// <summary>uvm_pagedeactivate: to the tail of the inactive queue (reference bit cleared), unless wired.</summary>
    public void Deactivate(PageId pg)
    {
        ref var p = ref pages[pg.Index];
        if (p.WireCount > 0)
            return;
        p.Referenced = false;
        if (p.Queue == PageQueue.Inactive)
            return;
        Dequeue(pg);
        Insert(ref inactive, PageQueue.Inactive, pg.Index);
    }

    /// <summary>uvm_pageenqueue: activate a page that is on no queue and not wired.</summary>
    public void Enqueue(PageId pg)
    {
        ref var p = ref pages[pg.Index];
        if (p.WireCount == 0 && p.Queue == PageQueue.None)
            Insert(ref active, PageQueue.Active, pg.Index);
    }

    /// <summary>uvm_pagedequeue: off whatever paging queue the page is on.</summary>
    public void Dequeue(PageId pg)
    {
        switch (pages[pg.Index].Queue)
        {
            case PageQueue.Active: Remove(ref active, pg.Index); break;
            case PageQueue.Inactive: Remove(ref inactive, pg.Index); break;
            case PageQueue.Free: Remove(ref free, pg.Index); break;
        }
    }

    /// <summary>uvm_pagewire: a wired page is on no paging queue.</summary>
    public void Wire(PageId pg)
    {
        ref var p = ref pages[pg.Index];
        if (p.WireCount == 0)
            Dequeue(pg);
        p.WireCount++;
    }

    /// <summary>uvm_pageunwire: the last unwire puts the page back on the active queue.</summary>
    public void Unwire(PageId pg)
    {
        ref var p = ref pages[pg.Index];
        if (p.WireCount <= 0)
            throw new InvalidOperationException($"uvm_pageunwire: {pg} is not wired");
        if (--p.WireCount == 0)
            Insert(ref active, PageQueue.Active, pg.Index);
    }

    /// <summary>uvm_pagecopy: the destination becomes a dirty copy.</summary>
    public void Copy(PageId from, PageId to)
    {
        Frame(from).CopyTo(Frame(to));
        pages[to.Index].Flags &= ~(PageFlags.Clean | PageFlags.Fake);
    }

    /// <summary>The pages on <paramref name="queue"/>, head to tail (for the invariant checker).</summary>
    public int Walk(PageQueue queue, Span<int> into)
    {
        var q = queue switch { PageQueue.Free => free, PageQueue.Active => active, _ => inactive };
        int n = 0;
        for (int i = q.Head; i != 0 && n < into.Length; i = pages[i].Next)
            into[n++] = i;
        return n;
    }

    public int QueueCount(PageQueue queue) =>
        queue switch { PageQueue.Free => free.Count, PageQueue.Active => active.Count, _ => inactive.Count };

    private void Insert(ref QueueHead q, PageQueue which, int i)
    {
        ref var p = ref pages[i];
        p.Queue = which;
        p.Prev = q.Tail;
        p.Next = 0;
        if (q.Tail != 0)
            pages[q.Tail].Next = i;
        else
            q.Head = i;
        q.Tail = i;
        q.Count++;
    }

    private void InsertHead(ref QueueHead q, PageQueue which, int i)
    {
        ref var p = ref pages[i];
        p.Queue = which;
        p.Prev = 0;
        p.Next = q.Head;
        if (q.Head != 0)
            pages[q.Head].Prev = i;
        else
            q.Tail = i;
        q.Head = i;
        q.Count++;
    }

    private void Remove(ref QueueHead q, int i)
    {
        ref var p = ref pages[i];
        if (p.Prev != 0) pages[p.Prev].Next = p.Next; else q.Head = p.Next;
        if (p.Next != 0) pages[p.Next].Prev = p.Prev; else q.Tail = p.Prev;
        p.Prev = p.Next = 0;
        p.Queue = PageQueue.None;
        q.Count--;
    }
}
