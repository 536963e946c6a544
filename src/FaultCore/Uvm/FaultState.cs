using System.Diagnostics.CodeAnalysis;
using System.Diagnostics;
using System.Runtime.CompilerServices;

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

/// <summary>
/// The specialization points of the generic fault path: every read of a configuration axis goes through here.
/// In the generic path each returns its argument; a specialized variant replaces the call by the variant's
/// constant (the dispatcher guarantees the two agree). Each axis is declared by its attribute; the variants are
/// declared in UvmFault.Variants.cs.
/// </summary>
[SpecializationFacade(variantNameSeparator: "+")]
internal static class Spec
{
    /// <summary>The axes' names (columns of <c>faultlab variants</c>).</summary>
    internal const string WiredAxis = "wired", AdviceAxis = "advice", CopyOnWriteAxis = "cow";

    /// <summary>Wired axis: a wiring fault, or a fault on a wired entry.</summary>
    [SpecializationAxis(WiredAxis, WhenFalse = "nowire", WhenTrue = "wired")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Wired(bool value) => value;

    /// <summary>Advice axis: the entry's MADV_* advice (values normal, random, sequential: the members of <see cref="FaultLab.Core.Advice"/>).</summary>
    [SpecializationAxis(AdviceAxis)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Advice Advice(Advice value) => value;

    /// <summary>Copy-on-write axis: UVM_ET_COPYONWRITE of the entry.</summary>
    [SpecializationAxis(CopyOnWriteAxis, WhenFalse = "nocow", WhenTrue = "cow")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CopyOnWrite(bool value) => value;

    /// <summary>
    /// The configuration of a pass, read where the facade calls of the generic path read it: the entry the
    /// lookup found and the fault's wiring so far. The dispatcher of the specialized paths picks the variant by it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Select(in VmMapEntry entry, in FaultCtx flt, out bool wired, out Advice advice, out bool copyOnWrite)
    {
        wired = entry.IsWired || flt.WireMapping;
        advice = entry.Advice;
        copyOnWrite = entry.IsCopyOnWrite;
    }
}
