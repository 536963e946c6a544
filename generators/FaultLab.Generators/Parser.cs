using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace FaultLab.Generators;

/// <summary>
/// Reads a class marked [FaultPathFacade(typeof(F))] into a <see cref="SpecializationModel"/> of plain values: the
/// facade F's axes, the variants declared by their values, the entry, the dispatchers checked against the axes and
/// the entry, and every method with the places it reads an axis (bound: facade calls and axis constants are found
/// by symbol, whatever their spelling).
/// </summary>
internal static class Parser
{
    public const string SpecializedPath = "specialized";
    public const string MonomorphizedPath = "monomorphized";

    public static SpecializationModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not ClassDeclarationSyntax target)
            return null;
        var compilation = context.SemanticModel.Compilation;
        var known = new KnownTypes(compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var classLocation = LocationInfo.From(target.Identifier);

        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<ClassDeclarationSyntax>()
            .Select(d => (Syntax: d, Model: d.SyntaxTree == context.SemanticModel.SyntaxTree ? context.SemanticModel : compilation.GetSemanticModel(d.SyntaxTree)))
            .ToList();

        // The facade the class names.
        FacadeSymbols? facade = null;
        var link = context.Attributes[0];
        var linkLocation = FacadeParser.Where(link, ct) ?? classLocation;
        if (FacadeParser.OnlyArgument(link) is { Kind: TypedConstantKind.Type, Value: var named })
        {
            if (named is INamedTypeSymbol f && f.TypeKind != TypeKind.Error)
                facade = FacadeParser.Read(f, known, t => TypeText(t, type, declarations), linkLocation, diagnostics, ct);
            else if (named is null)
                diagnostics.Add(new DiagnosticInfo("FLT0009", linkLocation, type.Name, "names no facade: [FaultPathFacade(typeof(...))] takes the facade's type"));
        }
        var variants = facade is null ? [] : ReadVariants(type, facade.Model, known, diagnostics, ct);

        // Every method of every declaration of the class.
        var methods = new List<MethodModel>();
        var dispatchers = new List<(MethodDeclarationSyntax Syntax, IMethodSymbol Symbol, AttributeData Attribute)>();
        var usings = new SortedSet<string>(System.StringComparer.Ordinal);
        var namespaceUsings = new SortedSet<string>(System.StringComparer.Ordinal);
        IMethodSymbol? entry = null;
        foreach (var (declaration, model) in declarations)
        {
            foreach (var u in declaration.SyntaxTree.GetCompilationUnitRoot(ct).Usings)
                usings.Add(u.WithoutTrivia().ToString());
            foreach (var u in declaration.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse().SelectMany(n => n.Usings))
                namespaceUsings.Add(u.WithoutTrivia().ToString());
            foreach (var method in declaration.Members.OfType<MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(method, ct) is not { } symbol)
                    continue;
                if (KnownTypes.Of(symbol, known.DispatchAttribute).FirstOrDefault() is { } dispatch)
                {
                    dispatchers.Add((method, symbol, dispatch));
                    continue;
                }
                if (method.Body is null && method.ExpressionBody is null)
                    continue;
                if (KnownTypes.Of(symbol, known.EntryAttribute).Any())
                {
                    if (entry is null)
                        entry = symbol;
                    else
                        diagnostics.Add(new DiagnosticInfo("FLT0005", LocationInfo.From(method.Identifier),
                            $"{type.Name} has two [FaultPathEntry] methods, {entry.Name} and {symbol.Name}: a fault path has one entry", ""));
                }
                methods.Add(ReadMethod(method, model, facade, known, ct));
            }
        }
        if (entry is null)
            diagnostics.Add(new DiagnosticInfo("FLT0005", classLocation, $"No method of {type.Name} is marked [FaultPathEntry]: there is no fault path entry to specialize from", ""));
        if (dispatchers.Count == 0)
            diagnostics.Add(new DiagnosticInfo("FLT0005", classLocation, $"No partial method of {type.Name} is marked [FaultPathDispatch(...)]: there is nothing to dispatch the variants from", ""));
        var dispatcherModels = entry is null || facade is null
            ? []
            : dispatchers.Select(d => ReadDispatcher(d.Syntax, d.Symbol, d.Attribute, entry, facade, diagnostics)).Where(d => d is not null).Select(d => d!).ToList();

        string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        return new SpecializationModel((CSharpParseOptions)target.SyntaxTree.Options, ns, type.Name, target.Modifiers.ToString(),
            usings.ToEquatableArray(), namespaceUsings.ToEquatableArray(), facade?.Model, entry?.Name,
            methods.ToEquatableArray(), variants.ToEquatableArray(), dispatcherModels.ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }

    /// <summary>The [FaultVariant(...)] declarations: each gives a value of every axis, in the facade's order.</summary>
    private static List<VariantModel> ReadVariants(INamedTypeSymbol type, FacadeModel facade, KnownTypes known, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        var variants = new List<VariantModel>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        string axes = string.Join(", ", facade.Axes.Select(a => $"{a.Name} ({string.Join(", ", a.Values.Select(v => v.Name))})"));
        foreach (var attribute in KnownTypes.Of(type, known.VariantAttribute))
        {
            // One that does not bind (a value that is not a string ...) is the compiler's to report.
            if (attribute.AttributeConstructor is null || FacadeParser.OnlyArgument(attribute) is not { Kind: TypedConstantKind.Array } values)
                continue;
            var where = FacadeParser.Where(attribute, ct);
            int count = values.IsNull ? 0 : values.Values.Length;
            if (count != facade.Axes.Length)
            {
                diagnostics.Add(new DiagnosticInfo("FLT0007", where, count == 0 ? "no value" : count == 1 ? "1 value" : $"{count} values", axes));
                continue;
            }
            var indices = new List<int>();
            for (int i = 0; i < count && indices.Count == i; i++)
            {
                var axis = facade.Axes[i];
                string value = values.Values[i].Value as string ?? "";
                int index = axis.Values.Select(v => v.Name).ToList().IndexOf(value);
                if (index < 0)
                    diagnostics.Add(new DiagnosticInfo("FLT0002", where, value, $"{axis.Name} ({string.Join(", ", axis.Values.Select(v => v.Name))})"));
                else
                    indices.Add(index);
            }
            if (indices.Count != count)
                continue;
            string name = facade.VariantName(indices);
            if (!seen.Add(name))
            {
                diagnostics.Add(new DiagnosticInfo("FLT0001", where, name, ""));
                continue;
            }
            variants.Add(new VariantModel(name, FacadeModel.Identifier(name), indices.ToEquatableArray()));
        }
        return variants;
    }

    /// <summary>
    /// A method: its text, the names it calls (for reachability), and where it reads an axis — invocations of
    /// the facade's axis methods and constants of its enum axes, bound to their symbols. Only names that could be
    /// one are bound.
    /// </summary>
    internal static MethodModel ReadMethod(MethodDeclarationSyntax method, SemanticModel model, FacadeSymbols? facade, KnownTypes known, CancellationToken ct)
    {
        int origin = method.FullSpan.Start;
        var callees = new SortedSet<string>(System.StringComparer.Ordinal);
        var calls = new List<AxisMark>();
        var constants = new List<AxisMark>();
        LocationInfo? firstCall = null;
        foreach (var node in method.DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax invocation:
                    string? called = invocation.Expression switch
                    {
                        IdentifierNameSyntax id => id.Identifier.ValueText,
                        MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
                        _ => null,
                    };
                    if (invocation.Expression is IdentifierNameSyntax)
                        callees.Add(called!);
                    if (facade is not null && called is not null && facade.MethodNames.Contains(called)
                        && Bind(model, invocation, ct) is IMethodSymbol target && facade.AxisOf(target) is var axis and >= 0)
                    {
                        calls.Add(new AxisMark(invocation.Span.Start - origin, invocation.Span.Length, axis, -1));
                        firstCall ??= LocationInfo.From(invocation);
                    }
                    break;
                case MemberAccessExpressionSyntax access when facade is not null && facade.MemberNames.Contains(access.Name.Identifier.ValueText):
                    AddConstant(access);
                    break;
                // A member by its name alone (using static): not the name part of a member access, seen above.
                case IdentifierNameSyntax name when facade is not null && facade.MemberNames.Contains(name.Identifier.ValueText)
                                                    && !(name.Parent is MemberAccessExpressionSyntax parent && parent.Name == name):
                    AddConstant(name);
                    break;
            }
        }

        void AddConstant(ExpressionSyntax expression)
        {
            if (Bind(model, expression, ct) is not IFieldSymbol field)
                return;
            var (axis, value) = facade!.ValueOf(field);
            if (axis >= 0 && value >= 0)
                constants.Add(new AxisMark(expression.Span.Start - origin, expression.Span.Length, axis, value));
        }

        // The generator's own attributes (the entry's): the copies drop them.
        var generatorAttributes = method.AttributeLists.SelectMany(l => l.Attributes)
            .Where(a => Bind(model, a, ct) is IMethodSymbol { ContainingType: var attributeType } &&
                        SymbolEqualityComparer.Default.Equals(attributeType, known.EntryAttribute))
            .Select(a => new TextSpan(a.Span.Start - origin, a.Span.Length));

        string? reason = null;
        var lambda = method.DescendantNodes().FirstOrDefault(n =>
            n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);
        if (lambda is not null)
            reason = lambda is LocalFunctionStatementSyntax
                ? "it declares a local function (copies could not share or rename it safely)"
                : "it contains a lambda or anonymous method (its captures cannot be specialized)";
        return new MethodModel(method.Identifier.ValueText, method.ToFullString(), callees.ToEquatableArray(),
            calls.ToEquatableArray(), constants.ToEquatableArray(), generatorAttributes.ToEquatableArray(),
            reason, LocationInfo.From(method.Identifier), firstCall);
    }

    /// <summary>The symbol a node binds to, or its only candidate (in code that does not compile yet).</summary>
    private static ISymbol? Bind(SemanticModel model, SyntaxNode node, CancellationToken ct)
    {
        var info = model.GetSymbolInfo(node, ct);
        return info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
    }

    /// <summary>
    /// A dispatcher, checked: a partial method without a body, of a known path, taking the axes (in the facade's
    /// order, of its types) then the entry's parameters, and returning what the entry returns. Null (with FLT0006)
    /// when it is not; the generator then leaves it unimplemented.
    /// </summary>
    private static DispatcherModel? ReadDispatcher(MethodDeclarationSyntax syntax, IMethodSymbol symbol, AttributeData attribute,
        IMethodSymbol entry, FacadeSymbols facade, List<DiagnosticInfo> diagnostics)
    {
        var axes = facade.Model.Axes;
        var format = SymbolDisplayFormat.MinimallyQualifiedFormat;
        string path = FacadeParser.OnlyArgument(attribute)?.Value as string ?? "";
        string expected = $"{entry.ReturnType.ToDisplayString(format)} {symbol.Name}(" +
            string.Join(", ", facade.Methods.Select((m, i) => $"{m.ReturnType.ToDisplayString(format)} {axes[i].Name}")
                .Concat(entry.Parameters.Select(e => e.ToDisplayString(format)))) + ")";
        string? problem = null;
        if (path is not (SpecializedPath or MonomorphizedPath))
            problem = $"dispatches the path '{path}': a dispatcher's path is \"{SpecializedPath}\" or \"{MonomorphizedPath}\"";
        else if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword) || syntax.Body is not null || syntax.ExpressionBody is not null)
            problem = "must be a partial method without a body: the generator writes its body";
        else if (symbol.Parameters.Length != axes.Length + entry.Parameters.Length)
            problem = $"has {symbol.Parameters.Length} parameter(s), not the {axes.Length} axes and the {entry.Parameters.Length} of the entry {entry.Name}";
        else if (!SymbolEqualityComparer.Default.Equals(symbol.ReturnType, entry.ReturnType))
            problem = $"returns {symbol.ReturnType.ToDisplayString(format)}, not what the entry {entry.Name} returns";
        else
        {
            for (int i = 0; i < symbol.Parameters.Length && problem is null; i++)
            {
                var parameter = symbol.Parameters[i];
                if (i < axes.Length)
                {
                    if (parameter.RefKind != RefKind.None || !SymbolEqualityComparer.Default.Equals(parameter.Type, facade.Methods[i].ReturnType))
                        problem = $"takes '{parameter.ToDisplayString(format)}' for axis {axes[i].Name}, of type {facade.Methods[i].ReturnType.ToDisplayString(format)}";
                }
                else if (entry.Parameters[i - axes.Length] is var forwarded &&
                         (parameter.RefKind != forwarded.RefKind || !SymbolEqualityComparer.Default.Equals(parameter.Type, forwarded.Type)))
                {
                    problem = $"takes '{parameter.ToDisplayString(format)}' where the entry {entry.Name} takes '{forwarded.ToDisplayString(format)}'";
                }
            }
        }
        if (problem is not null)
        {
            diagnostics.Add(new DiagnosticInfo("FLT0006", LocationInfo.From(syntax.Identifier), symbol.Name, $"{problem}; expected {expected}"));
            return null;
        }

        var parameters = syntax.ParameterList.Parameters;
        var forwardedArguments = symbol.Parameters.Skip(axes.Length).Select((param, i) => param.RefKind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In or RefKind.RefReadOnlyParameter => "in ",
            _ => "",
        } + parameters[axes.Length + i].Identifier.Text);
        // The implementation repeats the declaration's modifiers and return type (they must be the same).
        return new DispatcherModel(symbol.Name, path == MonomorphizedPath, syntax.Modifiers.ToString(), syntax.ReturnType.ToString(),
            syntax.ParameterList.ToString(), parameters.Take(axes.Length).Select(p => p.Identifier.Text).ToEquatableArray(),
            forwardedArguments.ToEquatableArray());
    }

    /// <summary>
    /// How generated code in the class writes an enum type: by its name when that name means the type in every
    /// declaration of the class (inside its body, or where it is declared for a declaration without one, which has
    /// no members to hide it), else fully qualified.
    /// </summary>
    private static string TypeText(INamedTypeSymbol type, INamedTypeSymbol path, List<(ClassDeclarationSyntax Syntax, SemanticModel Model)> declarations)
    {
        bool byName = !type.IsGenericType && declarations.All(d =>
        {
            var found = d.Syntax.OpenBraceToken.IsKind(SyntaxKind.OpenBraceToken)
                ? d.Model.LookupSymbols(d.Syntax.OpenBraceToken.Span.End, name: type.Name)
                : d.Model.LookupNamespacesAndTypes(d.Syntax.Identifier.SpanStart, name: type.Name).AddRange(path.GetMembers(type.Name));
            return found.Length == 1 && SymbolEqualityComparer.Default.Equals(found[0], type);
        });
        return byName ? type.Name : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }
}
