using System.Runtime.CompilerServices;

namespace FaultLab.Core;

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
