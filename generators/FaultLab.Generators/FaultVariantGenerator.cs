using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FaultLab.Generators;

/// <summary>
/// Partially evaluates a generic fault path into one specialized copy per declared variant, plus a monomorphized
/// copy over a struct type parameter, the dispatchers and a catalog. The path is a class marked
/// [FaultPathFacade(typeof(F))]: F's [SpecializationAxis] methods are the axes, the class's [FaultVariant(...)]
/// lines the variants. Generators only add code: the generic path is left as it is.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FaultVariantGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.PathFacadeAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .Where(static m => m is not null)
            .WithTrackingName("Model");

        var outputs = models
            .Select(static (m, _) => (Namespace: m!.Namespace, Result: Emitter.Emit(m)))
            .Select(static (r, _) => new EmitResult(r.Namespace, r.Result.Files.ToImmutableArray(), r.Result.Diagnostics.ToEquatableArray()))
            .WithTrackingName("Emit");

        // All classes at once: hint names are per class name, and two classes of the same name (in different
        // namespaces) must not add the same file twice; two paths over one facade report its problems once.
        context.RegisterSourceOutput(outputs.Collect(), static (spc, results) =>
        {
            var shared = new HashSet<string>(results.SelectMany(r => r.Files.Select(f => f.HintName).Distinct())
                .GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key));
            var added = new HashSet<string>();
            foreach (var d in results.SelectMany(r => r.Diagnostics).Distinct())
                spc.ReportDiagnostic(d.ToDiagnostic());
            foreach (var result in results)
            {
                foreach (var file in result.Files)
                {
                    string hint = shared.Contains(file.HintName) && result.Namespace.Length > 0 ? $"{result.Namespace}.{file.HintName}" : file.HintName;
                    // Still taken only by a second nested class of that name in that namespace, which is not supported.
                    if (added.Add(hint))
                        spc.AddSource(hint, file.Text);
                }
            }
        });
    }

    /// <summary>The emitter's output as a value: equal results let the output step stay cached.</summary>
    private sealed record EmitResult(string Namespace, ImmutableArray<GeneratedFile> Files, EquatableArray<DiagnosticInfo> Diagnostics)
    {
        public bool Equals(EmitResult? other) => other is not null && Namespace == other.Namespace && Files.SequenceEqual(other.Files) && Diagnostics.Equals(other.Diagnostics);
        public override int GetHashCode() => Files.Length;
    }
}
