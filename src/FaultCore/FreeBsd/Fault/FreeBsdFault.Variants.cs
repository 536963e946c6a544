namespace FaultLab.Core;

// The specialized variants of the FreeBSD fault path, one line each: a value of each of FbsdSpec's axes, in the order
// FbsdSpec declares them (wired, cow, first). A variant is named by its values joined by FbsdSpec's separator:
// wired+cow+default. The generator derives every variant, the monomorphized path, the dispatchers and the catalog
// from the generic path, FbsdSpec's axes and these lines.
[FaultPathFacade(typeof(FbsdSpec))]
[FaultVariant("nowire", "nocow", "default")]
[FaultVariant("nowire", "nocow", "swap")]
[FaultVariant("nowire", "nocow", "vnode")]
[FaultVariant("nowire", "cow", "default")]
[FaultVariant("nowire", "cow", "swap")]
[FaultVariant("nowire", "cow", "vnode")]
[FaultVariant("wired", "nocow", "default")]
[FaultVariant("wired", "nocow", "swap")]
[FaultVariant("wired", "nocow", "vnode")]
[FaultVariant("wired", "cow", "default")]
[FaultVariant("wired", "cow", "swap")]
[FaultVariant("wired", "cow", "vnode")]
internal static partial class FreeBsdFault;
