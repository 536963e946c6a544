using System.Runtime.CompilerServices;

namespace FaultLab.Core;

/// <summary>
/// The specialization points of the FreeBSD fault path: every read of a configuration axis goes through here. In
/// the generic path each returns its argument; a variant replaces the call by its constant (the dispatcher
/// guarantees they agree). The variants are declared in FreeBsdFault.Variants.cs.
/// </summary>
[SpecializationFacade(variantNameSeparator: "+")]
internal static class FbsdSpec
{
    /// <summary>The axes' names (columns of <c>faultlab variants</c>).</summary>
    internal const string WiredAxis = "wired", CopyOnWriteAxis = "cow", FirstObjectAxis = "first";

    /// <summary>Wired axis: the entry is wired (vm_map_lookup's <c>wired</c>): full-protection faults, wired
    /// mappings, vm_page_wire for change_wiring.</summary>
    [SpecializationAxis(WiredAxis, WhenFalse = "nowire", WhenTrue = "wired")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Wired(bool value) => value;

    /// <summary>Copy-on-write axis: the entry's copy_on_write; an entry without it has no chain below its object.</summary>
    [SpecializationAxis(CopyOnWriteAxis, WhenFalse = "nocow", WhenTrue = "cow")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CopyOnWrite(bool value) => value;

    /// <summary>First-object axis: the type of the object vm_map_lookup returned (default, swap, vnode).</summary>
    [SpecializationAxis(FirstObjectAxis)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ObjType FirstObject(ObjType value) => value;

    /// <summary>
    /// Reads the pass's configuration from what vm_map_lookup found (the same expressions the facade calls of the
    /// generic path wrap) into the fault, and returns it for the dispatcher.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Select(FreeBsdMachine vm, in FbsdFault fs, out bool wired, out bool copyOnWrite, out ObjType first)
    {
        wired = fs.Wired;
        copyOnWrite = fs.CopyOnWrite;
        first = fs.FirstType;
    }

    /// <summary>Records the pass's configuration in the fault, after the lookup.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Configure(FreeBsdMachine vm, ref FbsdFault fs)
    {
        fs.FirstType = vm.Obj(fs.FirstObject).Type;
        fs.CopyOnWrite = vm.Entries[fs.Entry.Index].CopyOnWrite;
    }
}
