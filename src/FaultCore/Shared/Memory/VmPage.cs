namespace FaultLab.Core;

/// <summary>vm_page flags (PG_*).</summary>
[Flags]
internal enum PageFlags : ushort
{
    None = 0,
    /// <summary>Page is locked by its owner for I/O or a fault (PG_BUSY).</summary>
    Busy = 1 << 0,
    /// <summary>Someone sleeps on this page (PG_WANTED): never set in the single-threaded model.</summary>
    Wanted = 1 << 1,
    /// <summary>Page is to be freed when unbusied (PG_RELEASED).</summary>
    Released = 1 << 2,
    /// <summary>Contents equal the backing store's copy (PG_CLEAN).</summary>
    Clean = 1 << 3,
    /// <summary>Contents are not valid yet (PG_FAKE).</summary>
    Fake = 1 << 4,
    /// <summary>Page may not be written (PG_RDONLY): the model's files have no holes, so never set.</summary>
    RdOnly = 1 << 5,
}

/// <summary>Which paging queue a page is on.</summary>
internal enum PageQueue : byte
{
    /// <summary>On no queue: wired, busy in a fault, or lent to the kernel with no owner.</summary>
    None = 0,
    Free,
    Active,
    Inactive,
}

/// <summary>struct vm_page: one physical page frame's record.</summary>
internal struct VmPage
{
    public PageFlags Flags;
    public PageQueue Queue;
    /// <summary>The pmap reference bit, summed over the page's mappings.</summary>
    public bool Referenced;
    public int WireCount;
    public int LoanCount;
    /// <summary>Owner: a uvm_object and the page's index in it (pg->uobject, pg->offset) ...</summary>
    public ObjId Object;
    public int Offset;
    /// <summary>... or an anon (pg->uanon).</summary>
    public AnonId Anon;
    /// <summary>Head of the pv list: the pmap mappings of this page.</summary>
    public int PvHead;
    /// <summary>Paging queue links.</summary>
    public int Prev, Next;

    public readonly bool HasOwner => !Object.IsNull || !Anon.IsNull;
}
