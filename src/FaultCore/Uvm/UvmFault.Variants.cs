namespace FaultLab.Core;

// The specialized variants of the fault path: one line each. The generator (generators/FaultLab.Generators)
// derives every variant, the monomorphized path and the dispatcher from the generic path and these lines.
[FaultVariant("nowire+normal+cow")]
[FaultVariant("nowire+normal+nocow")]
[FaultVariant("nowire+random+cow")]
[FaultVariant("nowire+random+nocow")]
[FaultVariant("nowire+sequential+cow")]
[FaultVariant("nowire+sequential+nocow")]
[FaultVariant("wired+normal+cow")]
[FaultVariant("wired+normal+nocow")]
[FaultVariant("wired+random+cow")]
[FaultVariant("wired+random+nocow")]
[FaultVariant("wired+sequential+cow")]
[FaultVariant("wired+sequential+nocow")]
internal static partial class UvmFault;
