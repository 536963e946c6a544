using Microsoft.CodeAnalysis;

namespace FaultLab.Generators;

internal static class DiagnosticDescriptors
{
    private const string Category = "FaultLab.Specialization";

    public static readonly DiagnosticDescriptor DuplicateVariant = new(
        "FLT0001", "Duplicate variant name",
        "Variant '{0}' is declared more than once", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownAxisValue = new(
        "FLT0002", "Unknown axis value in a variant name",
        "Variant name '{0}' is not wired|nowire + normal|random|sequential + cow|nocow: {1}", Category,
        DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnfoldableFacadeCall = new(
        "FLT0003", "Facade call the specializer cannot fold where it stands",
        "Spec.{0} cannot be folded here: {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UncopyableMethod = new(
        "FLT0004", "Specializable method that cannot be copied",
        "Method '{0}' must be copied into every variant but {1}", Category, DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingEntry = new(
        "FLT0005", "No fault path entry or dispatcher to generate",
        "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
