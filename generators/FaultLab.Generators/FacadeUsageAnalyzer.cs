using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace FaultLab.Generators;

/// <summary>
/// What the generator cannot see cheaply, checked where the compiler already binds everything: a facade's axis
/// method read where no variant would fold it (FLT0003: outside the fault paths over that facade, in a member of
/// one that is not a method, or used as a delegate), and variants declared on a class that names no facade
/// (FLT0005). The generator checks the rest of FLT0003 (a method of the path its entry never reaches).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FacadeUsageAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [DiagnosticDescriptors.UnfoldableFacadeCall, DiagnosticDescriptors.MissingEntry];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var known = new KnownTypes(start.Compilation);
            if (known.AxisAttribute is not null)
                start.RegisterOperationAction(c => AnalyzeAxisRead(c, known), OperationKind.Invocation, OperationKind.MethodReference);
            if (known.VariantAttribute is not null)
                start.RegisterSymbolAction(c => AnalyzeVariants(c, known), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeAxisRead(OperationAnalysisContext context, KnownTypes known)
    {
        var method = context.Operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IMethodReferenceOperation reference => reference.Method,
            _ => null,
        };
        if (method is null || !KnownTypes.Of(method.OriginalDefinition, known.AxisAttribute).Any())
            return;
        var facade = method.ContainingType;
        string read = $"{facade.Name}.{method.Name}";

        // The member the read stands in, out of any lambda or local function.
        var member = context.ContainingSymbol;
        while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
            member = member.ContainingSymbol;
        var type = member as INamedTypeSymbol ?? member.ContainingType;
        bool onPath = type is not null && KnownTypes.Of(type, known.PathFacadeAttribute)
            .Any(a => FacadeParser.OnlyArgument(a)?.Value is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named, facade));
        // A class that declares variants but names no facade is reported once for that (FLT0005), not per read.
        if (!onPath && type is not null && KnownTypes.Of(type, known.VariantAttribute).Any() && !KnownTypes.Of(type, known.PathFacadeAttribute).Any())
            return;

        string? problem =
            !onPath ? $"it is outside the fault paths over {facade.Name}{(type is null ? "" : $" (in {type.Name})")}, so no variant would fold it"
            : member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } ? $"it is in {Describe(member)} of {type!.Name}, and only methods are copied into the variants"
            : context.Operation is IMethodReferenceOperation ? "it is used as a delegate, not called, so no variant would fold it"
            : null;
        if (problem is not null)
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnfoldableFacadeCall, context.Operation.Syntax.GetLocation(), read, problem));
    }

    private static string Describe(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet, AssociatedSymbol: IPropertySymbol { IsIndexer: true } } => "an indexer",
        IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet } or IPropertySymbol => "a property",
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } => "a constructor",
        IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion } => "an operator",
        IFieldSymbol => "a field initializer",
        _ => "a member",
    };

    private static void AnalyzeVariants(SymbolAnalysisContext context, KnownTypes known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var first = KnownTypes.Of(type, known.VariantAttribute).FirstOrDefault();
        if (first is null || KnownTypes.Of(type, known.PathFacadeAttribute).Any())
            return;
        var location = first.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? type.Locations.FirstOrDefault();
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingEntry, location,
            $"{type.Name} declares variants but names no facade: mark it [FaultPathFacade(typeof(...))] with the facade whose axes the variants give values of"));
    }
}
