using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FaultLab.Generators;

/// <summary>
/// Partially evaluates the generic fault path into one specialized copy per declared variant
/// (<c>[FaultVariant("wired+normal+cow")]</c> on the class holding the path), plus a monomorphized copy over a
/// struct type parameter and the dispatchers. Generators only add code: the generic path is left as it is.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FaultVariantGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.VariantAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .Where(static m => m is not null)
            .WithTrackingName("Model");

        var outputs = models
            .Select(static (m, _) => (Namespace: m!.Namespace, Result: Emitter.Emit(m)))
            .Select(static (r, _) => new EmitResult(r.Namespace, r.Result.Files.Select(f => f).ToImmutableArray(), r.Result.Diagnostics.ToEquatableArray()))
            .WithTrackingName("Emit");

        // All classes at once: hint names are per class name, and two classes of the same name (in different
        // namespaces) must not add the same file twice.
        context.RegisterSourceOutput(outputs.Collect(), static (spc, results) =>
        {
            var shared = new HashSet<string>(results.SelectMany(r => r.Files.Select(f => f.HintName).Distinct())
                .GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key));
            var added = new HashSet<string>();
            foreach (var result in results)
            {
                foreach (var d in result.Diagnostics)
                    spc.ReportDiagnostic(d.ToDiagnostic());
                foreach (var file in result.Files)
                {
                    string hint = shared.Contains(file.HintName) && result.Namespace.Length > 0 ? $"{result.Namespace}.{file.HintName}" : file.HintName;
                    // Still taken only by a second nested class of that name in that namespace, which is not supported.
                    if (added.Add(hint))
                        spc.AddSource(hint, file.Text);
                }
            }
        });

        // Facade calls outside the class that declares the variants are never folded.
        var strays = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InvocationExpressionSyntax inv && Parser.IsFacadeCall(inv, out string axisName) && axisName.Length > 0,
                static (ctx, ct) =>
                {
                    var invocation = (InvocationExpressionSyntax)ctx.Node;
                    var type = invocation.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault();
                    var symbol = type is null ? null : ctx.SemanticModel.GetDeclaredSymbol(type, ct);
                    bool inVariantClass = symbol is not null && symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Parser.VariantAttribute);
                    Parser.IsFacadeCall(invocation, out var axis);
                    if (inVariantClass)
                    {
                        // In a method, the emitter knows whether a variant copies it; other members are never copied.
                        var member = invocation.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault();
                        return member is MethodDeclarationSyntax ? null : new DiagnosticInfo("FLT0003", LocationInfo.From(invocation), axis,
                            $"it is in {Describe(member)} of {type!.Identifier.ValueText}, and only methods are copied into the variants");
                    }
                    return new DiagnosticInfo("FLT0003", LocationInfo.From(invocation), axis,
                        $"it is outside the class that declares the variants{(type is null ? "" : $" (in {type.Identifier.ValueText})")}, so no variant would fold it");
                })
            .Where(static d => d is not null)
            .WithTrackingName("StrayFacadeCalls");

        context.RegisterSourceOutput(strays, static (spc, d) => spc.ReportDiagnostic(d!.ToDiagnostic()));
    }

    private static string Describe(MemberDeclarationSyntax? member) => member switch
    {
        PropertyDeclarationSyntax => "a property",
        IndexerDeclarationSyntax => "an indexer",
        ConstructorDeclarationSyntax => "a constructor",
        FieldDeclarationSyntax => "a field initializer",
        OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax => "an operator",
        _ => "a member",
    };

    /// <summary>The emitter's output as a value: equal results let the output step stay cached.</summary>
    private sealed record EmitResult(string Namespace, ImmutableArray<GeneratedFile> Files, EquatableArray<DiagnosticInfo> Diagnostics)
    {
        public bool Equals(EmitResult? other) => other is not null && Namespace == other.Namespace && Files.SequenceEqual(other.Files) && Diagnostics.Equals(other.Diagnostics);
        public override int GetHashCode() => Files.Length;
    }
}
