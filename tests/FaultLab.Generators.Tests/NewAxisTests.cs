using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FaultLab.Generators.Tests;

/// <summary>
/// A toy fault path over axes the generator has never seen — a bool axis "hot" (cold|hot) and an enum axis "shade"
/// of three members with values of their own and names given (l|d|m), joined by '-' — gets its variants, its
/// dispatchers, its config structs and its catalog, with no generator change; compiled and run, every variant and
/// the monomorphized path give what the generic path gives.
/// </summary>
public sealed class NewAxisTests
{
    private const string Toy = """
        namespace Toy;

        using FaultLab.Core;

        public enum Shade : byte { Light = 1, Dark = 4, Dim = 9 }

        [SpecializationFacade(variantNameSeparator: "-")]
        internal static class Knobs
        {
            [SpecializationAxis("hot", WhenFalse = "cold", WhenTrue = "hot")]
            public static bool Hot(bool value) => value;

            [SpecializationAxis("shade", ValueNames = ["l", "d", "m"])]
            public static Shade Shade(Shade value) => value;
        }

        [FaultPathFacade(typeof(Knobs))]
        [FaultVariant("hot", "d")]
        [FaultVariant("cold", "l")]
        [FaultVariant("cold", "m")]
        internal static partial class Brew
        {
            [FaultPathDispatch("specialized")]
            internal static partial int Specialized(bool hot, Shade shade, int cups, bool water, Shade beans, ref int spent);

            [FaultPathDispatch("monomorphized")]
            internal static partial int Jit(bool heat, Shade tone, int cups, bool water, Shade beans, ref int spent);

            [FaultPathEntry]
            internal static int Pour(int cups, bool water, Shade beans, ref int spent)
            {
                int total = 0;
                for (int i = 0; i < cups; i++)
                    total += Cup(i, water, beans, ref spent);
                if (Knobs.Hot(water))
                    goto Done;
                total *= 2;
            Done:
                return total;
            }

            private static int Cup(int i, bool water, Shade beans, ref int spent)
            {
                spent++;
                switch (Knobs.Shade(beans))
                {
                    case Shade.Light:
                        return 1 + i;
                    case Shade.Dark:
                        return Knobs.Hot(water) ? 10 : 5;
                    default:
                        return Knobs.Shade(beans) == Shade.Dim && !Knobs.Hot(water) ? 3 : 7;
                }
            }
        }
        """;

    private static readonly Lazy<GeneratorRun> run = new(() => Synthetic.Run(Toy));

    private static SyntaxNode Root(string hint) => run.Value.Sources.Single(s => s.HintName == hint).SyntaxTree.GetRoot();

    private static string Initializer(string field) =>
        Root("Brew.Dispatch.g.cs").DescendantNodes().OfType<VariableDeclaratorSyntax>().Single(v => v.Identifier.ValueText == field).Initializer!.Value.ToString();

    [Fact]
    public void The_toy_path_generates_cleanly()
    {
        Assert.Empty(run.Value.AllDiagnostics);
        var problems = run.Value.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(["Brew.hot_d.g.cs", "Brew.cold_l.g.cs", "Brew.cold_m.g.cs", "Brew.Monomorphized.g.cs", "Brew.Dispatch.g.cs", "Brew.Sources.g.cs"],
            run.Value.Sources.Select(s => s.HintName));
    }

    [Fact]
    public void Variants_are_named_by_the_declared_rule_and_fold_the_new_axes()
    {
        foreach (var (variant, hint) in new[] { ("hot_d", "Brew.hot_d.g.cs"), ("cold_l", "Brew.cold_l.g.cs"), ("cold_m", "Brew.cold_m.g.cs") })
        {
            var cls = Root(hint).DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == variant);
            Assert.DoesNotContain(cls.DescendantNodes().OfType<InvocationExpressionSyntax>(), i => i.Expression.ToString().StartsWith("Knobs.", StringComparison.Ordinal));
            Assert.Empty(cls.DescendantNodes().OfType<SwitchStatementSyntax>());
            Assert.Empty(cls.DescendantNodes().OfType<IfStatementSyntax>());
            Assert.Equal(["Pour", "Cup"], cls.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText));
        }
        // hot-d: a dark cup is 10, and nothing doubles; cold-m: dim cups are 3, doubled.
        var hot = Root("Brew.hot_d.g.cs").ToString();
        Assert.Contains("return 10;", hot);
        Assert.DoesNotContain("total *= 2;", hot);
        var dim = Root("Brew.cold_m.g.cs").ToString();
        Assert.Contains("return 3;", dim);
        Assert.Contains("total *= 2;", dim);
        Assert.Contains("the generic path with Knobs.Hot = false, Knobs.Shade = Shade.Dim folded in", dim);
    }

    [Fact]
    public void Dispatchers_switch_on_the_new_axes_in_their_order()
    {
        var dispatch = Root("Brew.Dispatch.g.cs");
        string Cases(string method) => string.Join(" ", dispatch.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == method)
            .DescendantNodes().OfType<SwitchSectionSyntax>().Select(s => s.Labels.Single().ToString() + " " + s.Statements.Single().ToString()));
        Assert.Equal("case (true, Shade.Dark): return hot_d.Pour(cups, water, beans, ref spent); " +
                     "case (false, Shade.Light): return cold_l.Pour(cups, water, beans, ref spent); " +
                     "case (false, Shade.Dim): return cold_m.Pour(cups, water, beans, ref spent); " +
                     "default: return Pour(cups, water, beans, ref spent);", Cases("Specialized"));
        Assert.Contains("case (true, Shade.Dark): return Monomorphized<Config_hot_d>.Pour(cups, water, beans, ref spent);", Cases("Jit"));
        Assert.Contains("switch (heat, tone)", dispatch.ToString());
    }

    [Fact]
    public void Config_structs_and_interface_are_the_new_axes()
    {
        var mono = Root("Brew.Monomorphized.g.cs");
        var config = mono.DescendantNodes().OfType<InterfaceDeclarationSyntax>().Single();
        Assert.Equal(["static abstract bool Hot { get; }", "static abstract Shade Shade { get; }"], config.Members.Select(m => m.ToString()));
        var structs = mono.DescendantNodes().OfType<StructDeclarationSyntax>().ToList();
        Assert.Equal(["Config_hot_d", "Config_cold_l", "Config_cold_m"], structs.Select(s => s.Identifier.ValueText));
        Assert.Equal(["public static bool Hot => true;", "public static Shade Shade => Shade.Dark;"], structs[0].Members.Select(m => m.ToString()));
    }

    [Fact]
    public void Catalog_lists_the_new_axes_variants_and_configurations()
    {
        Assert.Equal("""
            [
                    ("hot", ["cold", "hot"], [false, true]),
                    ("shade", ["l", "d", "m"], [Shade.Light, Shade.Dark, Shade.Dim]),
                ]
            """, Initializer("VariantAxes"));
        Assert.Contains("(\"cold-m\", typeof(cold_m), [false, Shade.Dim], ", Initializer("VariantCatalog"));
        using var execution = new Execution(run.Value);
        var catalog = (Array)execution.Type("Toy.Brew").GetField("VariantCatalog", BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;
        Assert.Equal(["hot-d", "cold-l", "cold-m"], catalog.Cast<ITuple>().Select(t => (string)t[0]!));
        Assert.Equal(["Toy.Brew+hot_d", "Toy.Brew+cold_l", "Toy.Brew+cold_m"], catalog.Cast<ITuple>().Select(t => ((Type)t[1]!).FullName));
        var configurations = (string[])execution.Type("Toy.Brew").GetField("VariantConfigurations", BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;
        Assert.Equal(["cold-l", "cold-d", "cold-m", "hot-l", "hot-d", "hot-m"], configurations);
    }

    [Fact]
    public void Every_variant_and_the_monomorphized_path_run_as_the_generic_path()
    {
        using var execution = new Execution(run.Value);
        var brew = execution.Type("Toy.Brew");
        var shade = execution.Type("Toy.Shade");
        MethodInfo Method(string name) => brew.GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!;
        var pour = Method("Pour");
        var specialized = Method("Specialized");
        var jit = Method("Jit");
        int runs = 0;
        foreach (bool water in new[] { false, true })
        {
            foreach (var beans in Enum.GetValues(shade))
            {
                for (int cups = 0; cups <= 3; cups++)
                {
                    object?[] generic = [cups, water, beans, 0];
                    object?[] variant = [water, beans, cups, water, beans, 0];
                    object?[] mono = [water, beans, cups, water, beans, 0];
                    var expected = pour.Invoke(null, generic);
                    Assert.Equal(expected, specialized.Invoke(null, variant));
                    Assert.Equal(expected, jit.Invoke(null, mono));
                    // The ref parameter is passed on.
                    Assert.Equal(cups, generic[3]);
                    Assert.Equal(cups, variant[5]);
                    Assert.Equal(cups, mono[5]);
                    runs++;
                }
            }
        }
        Assert.Equal(24, runs);
    }

    [Fact]
    public void A_single_axis_dispatches_on_its_value_alone()
    {
        const string one = """
            namespace Toy;

            using FaultLab.Core;

            [SpecializationFacade(variantNameSeparator: "+")]
            internal static class Only
            {
                [SpecializationAxis("fast", WhenFalse = "slow", WhenTrue = "fast")]
                public static bool Fast(bool value) => value;
            }

            [FaultPathFacade(typeof(Only))]
            [FaultVariant("fast")]
            [FaultVariant("slow")]
            internal static partial class Step
            {
                [FaultPathDispatch("specialized")]
                internal static partial int Go(bool fast, int x);

                [FaultPathEntry]
                internal static int Run(int x) => Only.Fast(x > 0) ? x : -x;
            }
            """;
        var single = Synthetic.Run(one);
        Assert.Empty(single.AllDiagnostics);
        Assert.Empty(single.OutputProblems());
        string dispatch = single.Text("Step.Dispatch.g.cs");
        Assert.Contains("        switch (fast)\n        {\n            case true:\n                return Step.fast.Run(x);\n            case false:\n                return Step.slow.Run(x);\n", dispatch);
        using var execution = new Execution(single);
        foreach (int x in new[] { -2, 0, 3 })
            Assert.Equal(execution.Call("Toy.Step", "Run", x), execution.Call("Toy.Step", "Go", x > 0, x));
    }
}
