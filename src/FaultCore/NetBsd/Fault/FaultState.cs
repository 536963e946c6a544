namespace FaultLab.Core;

/// <summary>fault_flag values passed from uvm_fault_wire to uvm_fault_internal.</summary>
[Flags]
internal enum FaultFlag : byte
{
    None = 0,
    /// <summary>UVM_FAULT_WIRE.</summary>
    Wire = 1 << 0,
    /// <summary>UVM_FAULT_MAXPROT: check against max_protection.</summary>
    MaxProt = 1 << 1,
}

/// <summary>struct uvm_faultinfo: the faulting address and the map entry found for it.</summary>
internal struct FaultInfo
{
    public VmProc OrigMap;
    public ulong OrigRvaddr;
    public ulong OrigSize;
    public EntryId Entry;
    /// <summary>The map's timestamp at lookup, for uvmfault_relock.</summary>
    public uint MapV;
}

/// <summary>struct uvm_faultctx, plus what the model reports about the fault.</summary>
internal struct FaultCtx
{
    // Set up by FaultCheck and read-only after that (most may change after ERESTART).
    public Prot AccessType;
    public ulong StartVa;
    public int NPages;
    public int CenterIdx;
    /// <summary>Work on the requested page only.</summary>
    public bool Narrow;
    /// <summary>Request a PMAP_WIRED mapping (UVM_FAULT_WIRE or VM_MAPENT_ISWIRED).</summary>
    public bool WireMapping;
    /// <summary>Request uvm_pagewire (true for UVM_FAULT_WIRE).</summary>
    public bool WirePaging;
    /// <summary>VM_PROT_WRITE is actually requested (break COW and loans).</summary>
    public bool CowNow;
    /// <summary>The protection pages are entered with, clamped in various places when !CowNow.</summary>
    public Prot EnterProt;
    /// <summary>For uvmfault_promote and ERESTART.</summary>
    public AnonId AnonSpare;
    public bool Promote;

    // The model's bookkeeping.
    /// <summary>The case of the pass (reported for the final, successful one).</summary>
    public FaultCase Case;
    /// <summary>uvm_wait calls so far in this fault (bounded by Machine.MaxWaitsPerFault).</summary>
    public int Waits;
}
