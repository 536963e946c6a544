namespace FaultLab.Core;

/// <summary>struct vm_anon.</summary>
internal struct VmAnon
{
    /// <summary>an_ref: references from amap slots.</summary>
    public int Ref;
    /// <summary>an_page: the resident page, if any.</summary>
    public PageId Page;
    /// <summary>an_swslot: the swap slot holding a copy, 0 for none, SWSLOT_BAD after a failed read.</summary>
    public int SwSlot;
}

[Flags]
internal enum AmapFlags : byte
{
    None = 0,
    /// <summary>AMAP_SHARED: the amap is referenced by map entries of more than one process sharing it.</summary>
    Shared = 1,
}

/// <summary>struct vm_amap (never chunked: see SEMANTICS.md).</summary>
internal struct VmAmap
{
    /// <summary>am_ref: references from map entries (clipping adds one per piece).</summary>
    public int Ref;
    public AmapFlags Flags;
    /// <summary>am_nslot.</summary>
    public int NSlot;
    /// <summary>am_nused: slots holding an anon.</summary>
    public int NUsed;
    /// <summary>Where the slots (am_anon[]) start in the slot arena.</summary>
    public int SlotBase;
}
