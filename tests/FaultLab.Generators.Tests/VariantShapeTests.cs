using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FaultLab.Generators.Tests;

/// <summary>
/// What the variants are made of: the facade is gone and so is every branch on a folded axis, each axis value
/// leaves the mark it should, the monomorphized path reads its type parameter, and the dispatchers cover every
/// declared variant.
/// </summary>
public sealed partial class VariantShapeTests
{
    private static readonly string[] FacadeMethods = ["Wired", "Advice", "CopyOnWrite"];

    /// <summary>The variants UvmFault.Variants.cs declares, in its order, named by Spec's rule (their values joined by '+').</summary>
    public static IReadOnlyList<string> DeclaredVariants { get; } =
        VariantLine().Matches(GeneratorHarness.FaultCoreSources[GeneratorHarness.VariantsFile])
            .Select(m => string.Join("+", Regex.Matches(m.Groups[1].Value, "\"([^\"]*)\"").Select(v => v.Groups[1].Value))).ToList();

    public static TheoryData<string> Variants => [.. DeclaredVariants];

    [GeneratedRegex("""^\[FaultVariant\((.*)\)\]""", RegexOptions.Multiline)]
    private static partial Regex VariantLine();

    private static GeneratorRun Run => GeneratorHarness.FaultCoreRun;

    private static string FileOf(string variant) => $"UvmFault.{variant.Replace('+', '_')}.g.cs";

    private static SyntaxTree Tree(string hintName) => Run.Sources.Single(s => s.HintName == hintName).SyntaxTree;

    /// <summary>The variant's nested class.</summary>
    private static ClassDeclarationSyntax VariantClass(string variant) =>
        Tree(FileOf(variant)).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .Single(c => c.Identifier.ValueText == variant.Replace('+', '_'));

    private static MethodDeclarationSyntax Method(SyntaxNode scope, string name) =>
        scope.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == name);

    /// <summary>The names of the methods the invocations under <paramref name="scope"/> call (the last name of a.b.C(...)).</summary>
    private static IEnumerable<string> Calls(SyntaxNode scope) =>
        scope.DescendantNodes().OfType<InvocationExpressionSyntax>().Select(i => i.Expression switch
        {
            MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
            SimpleNameSyntax n => n.Identifier.ValueText,
            _ => "",
        });

    [Fact]
    public void The_real_sources_declare_twelve_variants()
    {
        Assert.Equal(12, DeclaredVariants.Count);
        Assert.Equal(12, DeclaredVariants.Distinct().Count());
    }

    [Fact]
    public void Every_variant_has_its_file_and_one_class_named_by_it()
    {
        var expected = DeclaredVariants.Select(FileOf).Append(GeneratorHarness.MonomorphizedFile).Append(GeneratorHarness.DispatchFile).Append(GeneratorHarness.SourcesFile);
        Assert.Equal(expected.Order(StringComparer.Ordinal),
            Run.Sources.Select(s => s.HintName).Where(h => h.StartsWith("UvmFault.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        foreach (var variant in DeclaredVariants)
        {
            var root = Tree(FileOf(variant)).GetRoot();
            var outer = Assert.Single(root.DescendantNodes().OfType<ClassDeclarationSyntax>(), c => c.Parent is not ClassDeclarationSyntax);
            Assert.Equal("UvmFault", outer.Identifier.ValueText);
            var nested = Assert.Single(outer.Members.OfType<ClassDeclarationSyntax>());
            Assert.Equal(variant.Replace('+', '_'), nested.Identifier.ValueText);
            Assert.Equal(["private", "static"], nested.Modifiers.Select(t => t.ValueText));
        }
    }

    [Fact]
    public void Every_variant_copies_the_same_methods_starting_from_the_entry()
    {
        var first = VariantClass(DeclaredVariants[0]).Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).ToList();
        Assert.Contains("FaultPass", first);
        // Reachable from the entry and reading a facade (directly or through a callee) ...
        Assert.Contains("Mask", first);
        Assert.Contains("UpperDone", first);
        // ... but not what only reads no facade: those are shared with the generic path.
        Assert.DoesNotContain("AnonFlush", first);
        Assert.DoesNotContain("UnlockAll", first);
        Assert.DoesNotContain("FaultInternal", first);
        foreach (var variant in DeclaredVariants)
            Assert.Equal(first, VariantClass(variant).Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_calls_no_facade(string variant)
    {
        var tree = Tree(FileOf(variant));
        var model = Run.Output.GetSemanticModel(tree);
        foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            Assert.False(invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Spec" } },
                $"{variant}: {invocation} is left in");
            var called = model.GetSymbolInfo(invocation).Symbol as IMethodSymbol;
            Assert.NotNull(called);
            Assert.False(called.ContainingType.Name == "Spec" && FacadeMethods.Contains(called.Name), $"{variant}: {invocation} calls the facade");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_branches_on_no_constant(string variant)
    {
        var root = Tree(FileOf(variant)).GetRoot();
        foreach (var node in root.DescendantNodes())
        {
            var condition = node switch
            {
                IfStatementSyntax i => i.Condition,
                ConditionalExpressionSyntax c => c.Condition,
                SwitchStatementSyntax s => s.Expression,
                SwitchExpressionSyntax s => s.GoverningExpression,
                WhileStatementSyntax w => w.Condition,
                _ => null,
            };
            Assert.False(condition is not null && IsFoldedConstant(condition), $"{variant}: branch on a constant left in: {node}");
        }
        // Nor an operation the folder should have computed.
        foreach (var node in root.DescendantNodes().OfType<ExpressionSyntax>())
        {
            bool folded = node switch
            {
                PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression) => IsFoldedConstant(u.Operand),
                BinaryExpressionSyntax b when b.IsKind(SyntaxKind.EqualsExpression) || b.IsKind(SyntaxKind.NotEqualsExpression) =>
                    IsFoldedConstant(b.Left) && IsFoldedConstant(b.Right),
                BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression) =>
                    IsFoldedConstant(b.Left),
                ParenthesizedExpressionSyntax p => IsFoldedConstant(p.Expression),
                _ => false,
            };
            Assert.False(folded, $"{variant}: constant expression left unfolded: {node}");
        }
    }

    /// <summary>A bool literal or an advice value: what the facade calls became.</summary>
    private static bool IsFoldedConstant(ExpressionSyntax e) =>
        e.IsKind(SyntaxKind.TrueLiteralExpression) || e.IsKind(SyntaxKind.FalseLiteralExpression) ||
        e is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Advice" } };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Wired_axis_is_folded(string variant)
    {
        var cls = VariantClass(variant);
        bool wired = variant.StartsWith("wired+", StringComparison.Ordinal);
        bool wiresPages = cls.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i => i.Expression.ToString() == "m.Mem.Wire");
        bool setsWireMapping = cls.DescendantNodes().OfType<AssignmentExpressionSyntax>()
            .Any(a => a.Left.ToString() == "flt.WireMapping" && a.Right.IsKind(SyntaxKind.TrueLiteralExpression));
        Assert.Equal(wired, wiresPages);
        Assert.Equal(wired, setsWireMapping);
        if (!wired)
        {
            Assert.DoesNotContain("m.Mem.Wire(", cls.ToString());
            Assert.DoesNotContain("WireMapping = true", cls.ToString());
        }

        // The pmap entries are made wired exactly when the variant is.
        var enters = cls.DescendantNodes().OfType<InvocationExpressionSyntax>().Where(i => i.Expression.ToString() == "m.Pmaps.Enter").ToList();
        Assert.NotEmpty(enters);
        foreach (var enter in enters)
            Assert.Equal(wired ? "true" : "false", enter.ArgumentList.Arguments[^1].ToString());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Copy_on_write_axis_is_folded(string variant)
    {
        var mask = Method(VariantClass(variant), "Mask");
        bool cow = variant.EndsWith("+cow", StringComparison.Ordinal);
        Assert.NotNull(mask.ExpressionBody);
        Assert.Equal(cow ? "Prot.Read" : "Prot.ReadWrite", mask.ExpressionBody.Expression.ToString());

        // Lower: a cow variant promotes on a write, a nocow variant never.
        var promote = Method(VariantClass(variant), "Lower").DescendantNodes().OfType<AssignmentExpressionSyntax>()
            .Single(a => a.Left.ToString() == "flt.Promote" && !a.Right.IsKind(SyntaxKind.TrueLiteralExpression));
        Assert.Equal(cow ? "flt.CowNow" : "false", promote.Right.ToString());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Advice_axis_is_folded(string variant)
    {
        var check = Method(VariantClass(variant), "FaultCheck");
        string advice = variant.Split('+')[1];
        var calls = Calls(check).ToList();
        if (advice == "sequential")
        {
            Assert.Contains("AnonFlush", calls);
            Assert.Contains("PagerDeactivate", calls);
        }
        else
        {
            Assert.DoesNotContain("AnonFlush", Calls(VariantClass(variant)));
            Assert.DoesNotContain("PagerDeactivate", Calls(VariantClass(variant)));
        }

        // The uvmadvice table: the switch is gone, its live row is left.
        Assert.Empty(check.DescendantNodes().OfType<SwitchStatementSyntax>());
        var (back, forw) = advice switch { "normal" => ("3", "4"), "random" => ("0", "0"), _ => ("8", "7") };
        var assignments = check.DescendantNodes().OfType<AssignmentExpressionSyntax>().Select(a => a.ToString()).ToList();
        Assert.Equal([$"advBack = {back}", $"advForw = {forw}"], assignments.Where(a => a.StartsWith("adv", StringComparison.Ordinal)));
    }

    [Fact]
    public void Monomorphized_path_reads_its_type_parameter_and_no_facade()
    {
        var tree = Tree(GeneratorHarness.MonomorphizedFile);
        var root = tree.GetRoot();
        var cls = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == "Monomorphized");
        Assert.Equal("<TConfig>", cls.TypeParameterList?.ToString());
        Assert.Equal("where TConfig : struct, IFaultConfig", cls.ConstraintClauses.Single().ToString());

        Assert.DoesNotContain(root.DescendantNodes().OfType<InvocationExpressionSyntax>(),
            i => i.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Spec" } });
        var reads = cls.DescendantNodes().OfType<MemberAccessExpressionSyntax>()
            .Where(m => m.Expression.ToString() == "TConfig").Select(m => m.Name.ToString()).ToHashSet();
        Assert.Equal(["Advice", "CopyOnWrite", "Wired"], reads.Order(StringComparer.Ordinal));

        // The same methods as a specialized variant, unfolded.
        Assert.Equal(VariantClass(DeclaredVariants[0]).Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText),
            cls.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText));

        // One configuration struct per variant, with the variant's constants.
        var configs = root.DescendantNodes().OfType<StructDeclarationSyntax>().ToList();
        Assert.Equal(DeclaredVariants.Select(v => "Config_" + v.Replace('+', '_')), configs.Select(c => c.Identifier.ValueText));
        foreach (var (variant, config) in DeclaredVariants.Zip(configs))
        {
            var parts = variant.Split('+');
            var values = config.Members.OfType<PropertyDeclarationSyntax>().ToDictionary(p => p.Identifier.ValueText, p => p.ExpressionBody!.Expression.ToString());
            Assert.Equal(parts[0] == "wired" ? "true" : "false", values["Wired"]);
            Assert.Equal("Advice." + char.ToUpperInvariant(parts[1][0]) + parts[1][1..], values["Advice"]);
            Assert.Equal(parts[2] == "cow" ? "true" : "false", values["CopyOnWrite"]);
        }
    }

    [Theory]
    [InlineData("SpecializedPass", false)]
    [InlineData("MonomorphizedPass", true)]
    public void Dispatcher_has_one_case_per_variant_and_a_generic_default(string dispatcher, bool monomorphized)
    {
        var tree = Tree(GeneratorHarness.DispatchFile);
        var model = Run.Output.GetSemanticModel(tree);
        var method = Method(tree.GetRoot(), dispatcher);
        Assert.Contains(method.Modifiers, t => t.IsKind(SyntaxKind.PartialKeyword));
        var sw = Assert.Single(method.DescendantNodes().OfType<SwitchStatementSyntax>());
        Assert.Equal("(wired, advice, copyOnWrite)", sw.Expression.ToString());

        var cases = sw.Sections.Where(s => !s.Labels.Any(l => l is DefaultSwitchLabelSyntax)).ToList();
        var defaults = sw.Sections.Where(s => s.Labels.Any(l => l is DefaultSwitchLabelSyntax)).ToList();
        Assert.Equal(DeclaredVariants.Count, cases.Count);
        Assert.Single(defaults);
        Assert.Equal(cases.Count + 1, sw.Sections.Count);

        foreach (var (variant, section) in DeclaredVariants.Zip(cases))
        {
            var parts = variant.Split('+');
            var label = Assert.IsType<CasePatternSwitchLabelSyntax>(Assert.Single(section.Labels));
            string advice = "Advice." + char.ToUpperInvariant(parts[1][0]) + parts[1][1..];
            string wired = parts[0] == "wired" ? "true" : "false", cow = parts[2] == "cow" ? "true" : "false";
            Assert.Equal($"({wired}, {advice}, {cow})", label.Pattern.ToString());
            Assert.Null(label.WhenClause);

            var call = Assert.IsType<InvocationExpressionSyntax>(Assert.IsType<ReturnStatementSyntax>(Assert.Single(section.Statements)).Expression);
            var target = Assert.IsAssignableFrom<IMethodSymbol>(model.GetSymbolInfo(call).Symbol);
            Assert.Equal("FaultPass", target.Name);
            string id = variant.Replace('+', '_');
            Assert.Equal(monomorphized ? $"Monomorphized<Config_{id}>" : id, target.ContainingType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
            Assert.Equal("UvmFault", target.ContainingType.ContainingType.Name);
        }

        var fallback = Assert.IsType<InvocationExpressionSyntax>(Assert.IsType<ReturnStatementSyntax>(Assert.Single(defaults[0].Statements)).Expression);
        var generic = Assert.IsAssignableFrom<IMethodSymbol>(model.GetSymbolInfo(fallback).Symbol);
        Assert.Equal("FaultPass", generic.Name);
        Assert.Equal("FaultLab.Core.UvmFault", generic.ContainingType.ToDisplayString());
    }

    [Fact]
    public void Catalog_lists_every_variant_in_declaration_order()
    {
        var root = Tree(GeneratorHarness.DispatchFile).GetRoot();
        var catalog = root.DescendantNodes().OfType<VariableDeclaratorSyntax>().Single(v => v.Identifier.ValueText == "VariantCatalog");
        var entries = catalog.Initializer!.Value.ChildNodes().OfType<ExpressionElementSyntax>().Select(e => (TupleExpressionSyntax)e.Expression).ToList();
        Assert.Equal(DeclaredVariants.Select(v => $"\"{v}\""), entries.Select(e => e.Arguments[0].ToString()));
        foreach (var (variant, entry) in DeclaredVariants.Zip(entries))
        {
            string id = variant.Replace('+', '_');
            var parts = variant.Split('+');
            Assert.Equal($"typeof({id})", entry.Arguments[1].ToString());
            string advice = "Advice." + char.ToUpperInvariant(parts[1][0]) + parts[1][1..];
            Assert.Equal($"[{(parts[0] == "wired" ? "true" : "false")}, {advice}, {(parts[2] == "cow" ? "true" : "false")}]", entry.Arguments[2].ToString());
            // Lines and methods are counts of the variant's own copy.
            var cls = VariantClass(variant);
            Assert.Equal(cls.Members.OfType<MethodDeclarationSyntax>().Count().ToString(), entry.Arguments[4].ToString());
            int lines = cls.CloseBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line - cls.OpenBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line - 1;
            Assert.Equal(lines.ToString(), entry.Arguments[3].ToString());
        }
    }

    [Fact]
    public void Catalog_lists_the_axes_and_every_configuration()
    {
        var root = Tree(GeneratorHarness.DispatchFile).GetRoot();
        string Initializer(string name) =>
            root.DescendantNodes().OfType<VariableDeclaratorSyntax>().Single(v => v.Identifier.ValueText == name).Initializer!.Value.ToString();
        Assert.Equal("""
            [
                    ("wired", ["nowire", "wired"], [false, true]),
                    ("advice", ["normal", "random", "sequential"], [Advice.Normal, Advice.Random, Advice.Sequential]),
                    ("cow", ["nocow", "cow"], [false, true]),
                ]
            """, Initializer("VariantAxes"));
        var configurations = Regex.Matches(Initializer("VariantConfigurations"), "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(
            from wired in new[] { "nowire", "wired" }
            from advice in new[] { "normal", "random", "sequential" }
            from cow in new[] { "nocow", "cow" }
            select $"{wired}+{advice}+{cow}",
            configurations);
        Assert.Equal(configurations.Order(), DeclaredVariants.Order());
    }

    [Fact]
    public void The_sources_table_holds_every_copied_method_of_every_path_as_generated()
    {
        static string Literal(ArgumentSyntax argument) => ((LiteralExpressionSyntax)argument.Expression).Token.ValueText;
        var entries = Tree(GeneratorHarness.SourcesFile).GetRoot().DescendantNodes().OfType<TupleExpressionSyntax>()
            .Select(t => (Path: Literal(t.Arguments[0]), Method: Literal(t.Arguments[1]), Text: Literal(t.Arguments[2]))).ToList();
        var methods = VariantClass(DeclaredVariants[0]).Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).ToList();
        Assert.Equal(["generic", .. DeclaredVariants], entries.Select(e => e.Path).Distinct());
        foreach (var path in entries.GroupBy(e => e.Path))
            Assert.Equal(methods, path.Select(e => e.Method));

        // A variant's entries are its methods as its file has them, without the class's indentation.
        foreach (var variant in DeclaredVariants)
        {
            var texts = VariantClass(variant).Members.Select(m => string.Join("\n",
                m.ToFullString().TrimEnd().Split('\n').SkipWhile(l => l.Length == 0).Select(l => l.Length >= 8 ? l[8..] : l.TrimStart())));
            Assert.Equal(texts, entries.Where(e => e.Path == variant).Select(e => e.Text));
        }
        // The generic path's are the methods before folding: they read the facade.
        var generic = entries.Where(e => e.Path == "generic").ToList();
        foreach (var (_, method, text) in generic)
            Assert.Equal(method, Assert.IsType<MethodDeclarationSyntax>(SyntaxFactory.ParseMemberDeclaration(text)).Identifier.ValueText);
        foreach (var facade in FacadeMethods)
            Assert.Contains(generic, e => e.Text.Contains($"Spec.{facade}(", StringComparison.Ordinal));
    }
}
