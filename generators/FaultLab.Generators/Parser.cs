using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FaultLab.Generators;

/// <summary>Reads the class that declares variants into a <see cref="SpecializationModel"/> of plain values.</summary>
internal static class Parser
{
    public const string VariantAttribute = "FaultLab.Core.FaultVariantAttribute";
    public const string EntryAttributeName = "FaultPathEntry";
    public const string DispatchAttributeName = "FaultPathDispatch";
    public const string FacadeClass = "Spec";

    /// <summary>The facade's methods, by axis.</summary>
    public static readonly string[] FacadeMethods = ["Wired", "Advice", "CopyOnWrite"];

    private static readonly string[] AdviceValues = ["normal", "random", "sequential"];

    public static SpecializationModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
            return null;
        var diagnostics = new List<DiagnosticInfo>();

        // The variants declared on every declaration of the class. Each declaration that carries some is a target
        // of its own: only the first makes the model, so that the class is generated once.
        var declared = type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == VariantAttribute).ToList();
        var firstReference = declared.Select(a => a.ApplicationSyntaxReference).FirstOrDefault(r => r is not null);
        if (firstReference is not null && (firstReference.SyntaxTree != context.TargetNode.SyntaxTree || !context.TargetNode.Span.Contains(firstReference.Span)))
            return null;
        var variants = new List<VariantModel>();
        var seen = new HashSet<string>();
        foreach (var attribute in declared)
        {
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct);
            var where = syntax is null ? null : LocationInfo.From(syntax);
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name)
                continue;
            var variant = ParseVariantName(name, out string? problem);
            if (variant is null)
            {
                diagnostics.Add(new DiagnosticInfo("FLT0002", where, name, problem!));
                continue;
            }
            if (!seen.Add(variant.Name))
            {
                diagnostics.Add(new DiagnosticInfo("FLT0001", where, variant.Name, ""));
                continue;
            }
            variants.Add(variant);
        }

        // Every method of every declaration of the class.
        var methods = new List<MethodModel>();
        var dispatchers = new List<DispatcherModel>();
        var usings = new SortedSet<string>(System.StringComparer.Ordinal);
        var namespaceUsings = new SortedSet<string>(System.StringComparer.Ordinal);
        string? entry = null;
        string entryParameters = "";
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(ct) is not ClassDeclarationSyntax declaration)
                continue;
            foreach (var u in declaration.SyntaxTree.GetCompilationUnitRoot(ct).Usings)
                usings.Add(u.WithoutTrivia().ToString());
            foreach (var u in declaration.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse().SelectMany(n => n.Usings))
                namespaceUsings.Add(u.WithoutTrivia().ToString());
            foreach (var method in declaration.Members.OfType<MethodDeclarationSyntax>())
            {
                if (HasAttribute(method, DispatchAttributeName, out var dispatch))
                {
                    dispatchers.Add(ParseDispatcher(method, dispatch!));
                    continue;
                }
                if (method.Body is null && method.ExpressionBody is null)
                    continue;
                if (HasAttribute(method, EntryAttributeName, out _))
                {
                    entry = method.Identifier.ValueText;
                    entryParameters = method.ParameterList.ToString();
                }
                methods.Add(ReadMethod(method));
            }
        }
        if (entry is null)
            diagnostics.Add(new DiagnosticInfo("FLT0005", LocationInfo.From(((ClassDeclarationSyntax)context.TargetNode).Identifier), $"No method of {type.Name} is marked [{EntryAttributeName}]: there is no fault path entry to specialize from", ""));
        if (dispatchers.Count == 0)
            diagnostics.Add(new DiagnosticInfo("FLT0005", LocationInfo.From(((ClassDeclarationSyntax)context.TargetNode).Identifier), $"No partial method of {type.Name} is marked [{DispatchAttributeName}(...)]: there is nothing to dispatch the variants from", ""));

        string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        var modifiers = ((ClassDeclarationSyntax)context.TargetNode).Modifiers.ToString();
        return new SpecializationModel((CSharpParseOptions)context.TargetNode.SyntaxTree.Options, ns, type.Name, modifiers, usings.ToEquatableArray(), namespaceUsings.ToEquatableArray(), entry, entryParameters,
            methods.ToEquatableArray(), variants.ToEquatableArray(), dispatchers.ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }

    /// <summary>Parses "wired+normal+cow"; null (with the problem) for anything else.</summary>
    public static VariantModel? ParseVariantName(string name, out string? problem)
    {
        problem = null;
        var parts = name.Split('+');
        if (parts.Length != 3)
        {
            problem = $"it has {parts.Length} part(s), not 3";
            return null;
        }
        bool? wired = parts[0] switch { "wired" => true, "nowire" => false, _ => null };
        string? advice = AdviceValues.Contains(parts[1]) ? char.ToUpperInvariant(parts[1][0]) + parts[1].Substring(1) : null;
        bool? cow = parts[2] switch { "cow" => true, "nocow" => false, _ => null };
        if (wired is null) problem = $"'{parts[0]}' is not wired or nowire";
        else if (advice is null) problem = $"'{parts[1]}' is not normal, random or sequential";
        else if (cow is null) problem = $"'{parts[2]}' is not cow or nocow";
        return problem is null ? new VariantModel(name, wired!.Value, advice!, cow!.Value) : null;
    }

    private static MethodModel ReadMethod(MethodDeclarationSyntax method)
    {
        var callees = new SortedSet<string>(System.StringComparer.Ordinal);
        bool facade = false;
        foreach (var invocation in method.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (invocation.Expression is IdentifierNameSyntax id)
                callees.Add(id.Identifier.ValueText);
            else if (IsFacadeCall(invocation, out _))
                facade = true;
        }
        string? reason = null;
        var lambda = method.DescendantNodes().FirstOrDefault(n =>
            n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);
        if (lambda is not null)
            reason = lambda is LocalFunctionStatementSyntax
                ? "it declares a local function (copies could not share or rename it safely)"
                : "it contains a lambda or anonymous method (its captures cannot be specialized)";
        return new MethodModel(method.Identifier.ValueText, method.ToFullString(), callees.ToEquatableArray(),
            facade, reason, LocationInfo.From(method.Identifier));
    }

    private static DispatcherModel ParseDispatcher(MethodDeclarationSyntax method, AttributeSyntax attribute)
    {
        string path = attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax lit
            ? lit.Token.ValueText
            : "";
        // The first three parameters are the axes; the rest are forwarded to the entry.
        var forwarded = method.ParameterList.Parameters.Skip(3)
            .Select(p => (p.Modifiers.Any(SyntaxKind.RefKeyword) ? "ref " : p.Modifiers.Any(SyntaxKind.OutKeyword) ? "out " : "") + p.Identifier.ValueText);
        // The implementation repeats the declaration's modifiers and return type (they must be the same).
        return new DispatcherModel(method.Identifier.ValueText, path, method.Modifiers.ToString(), method.ReturnType.ToString(),
            method.ParameterList.ToString(), forwarded.ToEquatableArray());
    }

    private static bool HasAttribute(MethodDeclarationSyntax method, string name, out AttributeSyntax? found)
    {
        found = method.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a =>
        {
            string n = a.Name is QualifiedNameSyntax q ? q.Right.Identifier.ValueText : a.Name.ToString();
            return n == name || n == name + "Attribute";
        });
        return found is not null;
    }

    /// <summary>Whether the invocation is Spec.Wired(..), Spec.Advice(..) or Spec.CopyOnWrite(..).</summary>
    public static bool IsFacadeCall(InvocationExpressionSyntax invocation, out string axis)
    {
        axis = "";
        if (invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: FacadeClass } } access
            && FacadeMethods.Contains(access.Name.Identifier.ValueText))
        {
            axis = access.Name.Identifier.ValueText;
            return true;
        }
        return false;
    }
}
