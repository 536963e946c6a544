namespace FaultLab.Core;

/// <summary>
/// The fault case of an access's final, successful pass: the FreeBSD family's outcomes (SEMANTICS-FREEBSD.md).
/// The values are the <see cref="Outcome.Code"/>s <see cref="FreeBsdFamily"/> declares.
/// </summary>
internal enum FbsdCase : byte
{
    Hit = 0,
    /// <summary>The data was in the first object: resident, or read in by its pager.</summary>
    Soft = 1,
    /// <summary>Zero fill in the first object at the end of the chain.</summary>
    Zfod = 2,
    /// <summary>A write: the data was copied up from a deeper object.</summary>
    Cow = 3,
    /// <summary>A read: the data was found in a deeper object and mapped read-only.</summary>
    Shadow = 4,
    Failed = byte.MaxValue,
}

/// <summary>
/// vm_fault's variables that outlive a pass (RetryFault keeps them: the map, the address, fault_type as wiring
/// changed it, change_wiring, hardfault) and what the lookup of the current pass returned.
/// </summary>
internal struct FbsdFault
{
    public VmProc Map;
    public ulong Vaddr;
    public Prot FaultType;
    public bool ChangeWiring;

    // vm_map_lookup's results for this pass
    public EntryId Entry;
    public ObjId FirstObject;
    public ulong FirstOffset;
    public Prot Prot;
    public bool Wired;

    /// <summary>hardfault: the pager read something (any pass).</summary>
    public int HardFault;
    /// <summary>Pages the pager read, over every pass.</summary>
    public int Io;
    /// <summary>The level the data was found at in the final pass (0 = the first object).</summary>
    public int Depth;
    public FbsdCase Case;
    /// <summary>VM_WAITs so far.</summary>
    public int Waits;

    // the pass's configuration, read by the facade (set by FbsdSpec.Configure after the lookup)
    public ObjType FirstType;
    public bool CopyOnWrite;
}
