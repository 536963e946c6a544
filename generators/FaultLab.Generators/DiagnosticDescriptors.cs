using Microsoft.CodeAnalysis;

namespace FaultLab.Generators;

/// <summary>The generator's and the analyzer's diagnostics: one category, all errors (docs/specialization.md).</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "FaultLab.Specialization";

    public static readonly DiagnosticDescriptor DuplicateVariant = new(
        "FLT0001", "Duplicate variant",
        "Variant '{0}' is declared more than once", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownAxisValue = new(
        "FLT0002", "Unknown axis value in a variant declaration",
        "'{0}' is not a value of axis {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnfoldableFacadeCall = new(
        "FLT0003", "Facade call the specializer cannot fold where it stands",
        "{0} cannot be folded here: {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UncopyableMethod = new(
        "FLT0004", "Specializable method that cannot be copied",
        "Method '{0}' must be copied into every variant but {1}", Category, DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingEntry = new(
        "FLT0005", "No fault path entry or dispatcher to generate",
        "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor WrongDispatcher = new(
        "FLT0006", "Dispatcher that does not match the axes and the entry",
        "Dispatcher '{0}' {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor WrongValueCount = new(
        "FLT0007", "Variant that does not give one value per axis",
        "The variant gives {0}, one per axis is needed: {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidAxis = new(
        "FLT0008", "Invalid axis declaration",
        "Axis '{0}' {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidFacade = new(
        "FLT0009", "Invalid facade declaration",
        "{0} {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "FLT0001" => DuplicateVariant,
        "FLT0002" => UnknownAxisValue,
        "FLT0003" => UnfoldableFacadeCall,
        "FLT0004" => UncopyableMethod,
        "FLT0005" => MissingEntry,
        "FLT0006" => WrongDispatcher,
        "FLT0007" => WrongValueCount,
        "FLT0008" => InvalidAxis,
        _ => InvalidFacade,
    };
}
