namespace FaultLab.Core;

// The specialized variants of the fault path, one line each: a value of each of Spec's axes, in the order Spec
// declares them (wired, advice, cow). A variant is named by its values joined by Spec's separator:
// wired+sequential+cow. The generator (generators/FaultLab.Generators) derives every variant, the monomorphized
// path, the dispatchers and the catalog from the generic path, Spec's axes and these lines.
[FaultPathFacade(typeof(Spec))]
[FaultVariant("nowire", "normal", "cow")]
[FaultVariant("nowire", "normal", "nocow")]
[FaultVariant("nowire", "random", "cow")]
[FaultVariant("nowire", "random", "nocow")]
[FaultVariant("nowire", "sequential", "cow")]
[FaultVariant("nowire", "sequential", "nocow")]
[FaultVariant("wired", "normal", "cow")]
[FaultVariant("wired", "normal", "nocow")]
[FaultVariant("wired", "random", "cow")]
[FaultVariant("wired", "random", "nocow")]
[FaultVariant("wired", "sequential", "cow")]
[FaultVariant("wired", "sequential", "nocow")]
internal static partial class UvmFault;
