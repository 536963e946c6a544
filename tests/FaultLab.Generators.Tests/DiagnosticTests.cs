using Microsoft.CodeAnalysis;

namespace FaultLab.Generators.Tests;

/// <summary>
/// FLT0001–FLT0009 on small synthetic sources, from the generator and from its analyzer: id, severity, where,
/// message, and never a crash.
/// </summary>
public sealed class DiagnosticTests
{
    private static GeneratorRun Run(params string[] sources) => Synthetic.Run(sources);

    /// <summary>The one diagnostic reported (generator and analyzer); it has that id, is an error, and is on that line of that source.</summary>
    private static Diagnostic AssertSingle(GeneratorRun run, string id, int source, int line) =>
        AssertSingle(run, id, $"Source{source}.cs", line);

    private static Diagnostic AssertSingle(GeneratorRun run, string id, string file, int line)
    {
        var diagnostic = Assert.Single(run.AllDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("FaultLab.Specialization", diagnostic.Descriptor.Category);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(file, span.Path);
        Assert.Equal(line, span.StartLinePosition.Line);
        return diagnostic;
    }

    private static string[] HintNames(GeneratorRun run) => [.. run.Sources.Select(s => s.HintName)];

    // ---- variants ----

    [Fact]
    public void FLT0001_duplicate_variant_is_reported_on_the_second_line()
    {
        string fault = Synthetic.Fault(
            "[FaultVariant(\"wired\", \"normal\", \"cow\")]\n" +
            "[FaultVariant(\"nowire\", \"random\", \"nocow\")]\n" +
            "[FaultVariant(\"wired\", \"normal\", \"cow\")] // again\n");
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0001", 1, Synthetic.LineOf(fault, "// again"));
        Assert.Equal("Variant 'wired+normal+cow' is declared more than once", diagnostic.GetMessage());
        // The first declaration stands.
        Assert.Single(run.Sources, s => s.HintName == "Fault.wired_normal_cow.g.cs");
    }

    [Fact]
    public void FLT0001_duplicate_variant_across_partial_declarations()
    {
        const string more = "namespace FaultLab.Core;\n\n[FaultVariant(\"nowire\", \"random\", \"nocow\")] // again\ninternal static partial class Fault;\n";
        var run = Run(Synthetic.Fault(), more);
        AssertSingle(run, "FLT0001", 2, Synthetic.LineOf(more, "// again"));
        Assert.Equal(["Fault.wired_normal_cow.g.cs", "Fault.nowire_random_nocow.g.cs", "Fault.Monomorphized.g.cs", "Fault.Dispatch.g.cs", "Fault.Sources.g.cs"],
            HintNames(run));
    }

    [Theory]
    [InlineData("\"wired\", \"fast\", \"cow\"", "'fast' is not a value of axis advice (normal, random, sequential)")]
    [InlineData("\"wire\", \"normal\", \"cow\"", "'wire' is not a value of axis wired (nowire, wired)")]
    [InlineData("\"Wired\", \"Normal\", \"Cow\"", "'Wired' is not a value of axis wired (nowire, wired)")]
    [InlineData("\"nowire\", \"random\", \"copy\"", "'copy' is not a value of axis cow (nocow, cow)")]
    [InlineData("\"nowire\", null, \"cow\"", "'' is not a value of axis advice (normal, random, sequential)")]
    // In the wrong order: values are given in the facade's order of axes.
    [InlineData("\"cow\", \"wired\", \"normal\"", "'cow' is not a value of axis wired (nowire, wired)")]
    public void FLT0002_unknown_axis_value(string values, string message) =>
        Assert.Equal(message, AssertBadVariant(values, "FLT0002").GetMessage());

    [Theory]
    [InlineData("\"wired\", \"normal\"", "2 values")]
    [InlineData("\"wired\", \"normal\", \"cow\", \"nocow\"", "4 values")]
    [InlineData("", "no value")]
    [InlineData("null!", "no value")]
    // The old form: a name is not a declaration.
    [InlineData("\"wired+normal+cow\"", "1 value")]
    public void FLT0007_variant_without_one_value_per_axis(string values, string count) =>
        Assert.Equal($"The variant gives {count}, one per axis is needed: wired (nowire, wired), advice (normal, random, sequential), cow (nocow, cow)",
            AssertBadVariant(values, "FLT0007").GetMessage());

    /// <summary>
    /// A path declaring a good variant and [FaultVariant(<paramref name="values"/>)]: the one diagnostic, of that
    /// id, on the bad line; the good variant is still generated, the bad one not.
    /// </summary>
    private static Diagnostic AssertBadVariant(string values, string id)
    {
        string fault = Synthetic.Fault("[FaultVariant(\"nowire\", \"normal\", \"cow\")]\n" + $"[FaultVariant({values})] // bad\n");
        var run = Run(fault);
        var diagnostic = AssertSingle(run, id, 1, Synthetic.LineOf(fault, "// bad"));
        Assert.Equal(["Fault.nowire_normal_cow.g.cs", "Fault.Monomorphized.g.cs", "Fault.Dispatch.g.cs", "Fault.Sources.g.cs"], HintNames(run));
        return diagnostic;
    }

    // ---- facade calls ----

    [Fact]
    public void FLT0003_facade_call_in_a_method_the_entry_never_reaches()
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + "\n\n" + Synthetic.Entry + "\n\n" + """
                /// <summary>Nobody calls this.</summary>
                private static bool Orphan(bool b) => Spec.Wired(b); // unreachable
            """);
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0003", 1, Synthetic.LineOf(fault, "// unreachable"));
        Assert.Equal("Spec.Wired cannot be folded here: it is in Orphan, which the fault path entry Pass never reaches, so no variant would fold it",
            diagnostic.GetMessage());
        // On the call.
        Assert.Equal(42, diagnostic.Location.GetLineSpan().StartLinePosition.Character);
    }

    [Fact]
    public void FLT0003_facade_call_outside_the_fault_path()
    {
        const string other = """
            namespace FaultLab.Core;

            internal static class Other
            {
                public static bool Copy(bool b) =>
                    Spec.CopyOnWrite(b); // elsewhere
            }
            """;
        var run = Run(Synthetic.Fault(), other);
        var diagnostic = AssertSingle(run, "FLT0003", 2, Synthetic.LineOf(other, "// elsewhere"));
        Assert.Equal("Spec.CopyOnWrite cannot be folded here: it is outside the fault paths over Spec (in Other), so no variant would fold it",
            diagnostic.GetMessage());
        // The column is that of the call.
        Assert.Equal(8, diagnostic.Location.GetLineSpan().StartLinePosition.Character);
    }

    [Fact]
    public void FLT0003_facade_call_however_it_is_spelled()
    {
        // Found by symbol: an alias, a static using, a qualified name.
        const string other = """
            using S = FaultLab.Core.Spec;
            using static FaultLab.Core.Spec;

            namespace FaultLab.Other;

            internal static class Other
            {
                public static bool A(bool b) => S.Wired(b); // alias
                public static bool B(bool b) => Wired(b); // static
                public static bool C(bool b) => global::FaultLab.Core.Spec.CopyOnWrite(b); // qualified
            }
            """;
        var run = Run(Synthetic.Fault(), other);
        Assert.Equal([Synthetic.LineOf(other, "// alias"), Synthetic.LineOf(other, "// static"), Synthetic.LineOf(other, "// qualified")],
            run.AllDiagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line).Order());
        Assert.All(run.AllDiagnostics, d => Assert.Equal("FLT0003", d.Id));
    }

    [Fact]
    public void A_class_named_like_the_facade_is_not_the_facade()
    {
        // The old generator took any class named Spec for the facade.
        const string other = """
            namespace FaultLab.Other;

            internal static class Spec
            {
                public static bool Wired(bool value) => !value;
            }

            internal static class User
            {
                public static bool A(bool b) => Spec.Wired(b);
            }
            """;
        var run = Run(Synthetic.Fault(), other);
        Assert.Empty(run.AllDiagnostics);
    }

    [Fact]
    public void FLT0003_facade_call_in_a_nested_type_of_the_fault_path()
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + "\n\n" + Synthetic.Entry + "\n\n" + """
                private static class Nested
                {
                    public static bool W(bool b) => Spec.Wired(b); // nested
                }
            """);
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0003", 1, Synthetic.LineOf(fault, "// nested"));
        Assert.Contains("(in Nested)", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("private static bool Wired => Spec.Wired(true); // member", "a property")]
    [InlineData("private static readonly bool cow = Spec.CopyOnWrite(false); // member", "a field initializer")]
    [InlineData("private static bool Get(bool b) { return b; } private static Advice Adv { get { return Spec.Advice(Advice.Normal); } } // member", "a property")]
    [InlineData("static Fault() { _ = Spec.Wired(true); } // member", "a constructor")]
    public void FLT0003_facade_call_in_a_member_of_the_fault_path_that_is_not_a_method(string member, string what)
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + "\n\n" + Synthetic.Entry + "\n\n    " + member + "\n");
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0003", 1, Synthetic.LineOf(fault, "// member"));
        Assert.EndsWith($"it is in {what} of Fault, and only methods are copied into the variants", diagnostic.GetMessage());
    }

    [Fact]
    public void FLT0003_facade_method_used_as_a_delegate()
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x) => Apply(Spec.Wired, x > 0) ? Errno.OK : Errno.EFAULT; // delegate

                private static bool Apply(Func<bool, bool> f, bool b) => f(b);
            """);
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0003", 1, Synthetic.LineOf(fault, "// delegate"));
        Assert.Equal("Spec.Wired cannot be folded here: it is used as a delegate, not called, so no variant would fold it", diagnostic.GetMessage());
    }

    // ---- methods ----

    [Fact]
    public void FLT0004_reachable_facade_reading_method_with_a_lambda()
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x) => Step(x);

                private static Errno Step(int x) // lambda
                {
                    Func<bool> wired = () => Spec.Wired(x > 0);
                    return wired() ? Errno.OK : Errno.EFAULT;
                }
            """);
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0004", 1, Synthetic.LineOf(fault, "// lambda"));
        Assert.Equal("Method 'Step' must be copied into every variant but it contains a lambda or anonymous method (its captures cannot be specialized)",
            diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void FLT0004_caller_of_a_facade_reading_method_with_an_anonymous_method()
    {
        // Pass must be copied because Step is; Pass has the anonymous method.
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x) // anonymous
                {
                    Func<int, int> twice = delegate (int v) { return 2 * v; };
                    return Step(twice(x));
                }

                private static Errno Step(int x) => Spec.Wired(x > 0) ? Errno.OK : Errno.EFAULT;
            """);
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0004", 1, Synthetic.LineOf(fault, "// anonymous"));
        Assert.Contains("'Pass'", diagnostic.GetMessage());
    }

    [Fact]
    public void FLT0004_reachable_facade_reading_method_with_a_local_function()
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x) // local
                {
                    return Check() ? Errno.OK : Errno.EFAULT;

                    bool Check() => Spec.Wired(x > 0);
                }
            """);
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0004", 1, Synthetic.LineOf(fault, "// local"));
        Assert.Contains("local function", diagnostic.GetMessage());
    }

    // ---- entry and dispatchers ----

    [Fact]
    public void FLT0005_class_without_an_entry()
    {
        string fault = "namespace FaultLab.Core;\n\n[FaultPathFacade(typeof(Spec))]\n" + Synthetic.Variants("wired+normal+cow") +
            "internal static partial class Fault // class\n{\n" + Synthetic.Dispatcher + "\n}\n";
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0005", 1, Synthetic.LineOf(fault, "// class"));
        Assert.Equal("No method of Fault is marked [FaultPathEntry]: there is no fault path entry to specialize from", diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void FLT0005_class_without_a_dispatcher()
    {
        string fault = "namespace FaultLab.Core;\n\n[FaultPathFacade(typeof(Spec))]\n" + Synthetic.Variants("wired+normal+cow") +
            "internal static partial class Fault // class\n{\n" + Synthetic.Entry + "\n}\n";
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0005", 1, Synthetic.LineOf(fault, "// class"));
        Assert.Contains("No partial method of Fault is marked [FaultPathDispatch(...)]", diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void FLT0005_two_entries()
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + "\n" + Synthetic.Entry + """

                [FaultPathEntry]
                private static Errno Other(int x) => Spec.Wired(x > 0) ? Errno.OK : Errno.EFAULT; // second
            """);
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0005", 1, Synthetic.LineOf(fault, "// second"));
        Assert.Equal("Fault has two [FaultPathEntry] methods, Pass and Other: a fault path has one entry", diagnostic.GetMessage());
    }

    [Fact]
    public void FLT0005_variants_on_a_class_that_names_no_facade()
    {
        string fault = Synthetic.Fault().Replace("[FaultPathFacade(typeof(Spec))]\n", "").Replace("[FaultVariant(\"wired\"", "[FaultVariant(\"wired\"/*here*/");
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0005", 1, Synthetic.LineOf(fault, "/*here*/"));
        Assert.StartsWith("Fault declares variants but names no facade: mark it [FaultPathFacade(typeof(...))]", diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    /// <summary>Dispatchers that do not fit the axes (bool wired, Advice advice, bool cow) and the entry (int x, returning Errno).</summary>
    public static TheoryData<string, string> WrongDispatchers => new()
    {
        { "private static partial Errno Dispatch(bool wired, int advice, bool cow, int x);", "takes 'int advice' for axis advice, of type Advice" },
        { "private static partial Errno Dispatch(bool wired, bool cow, Advice advice, int x);", "takes 'bool cow' for axis advice, of type Advice" },
        { "private static partial Errno Dispatch(Advice advice, bool wired, bool cow, int x);", "takes 'Advice advice' for axis wired, of type bool" },
        { "private static partial Errno Dispatch(bool wired, Advice advice, bool cow);", "has 3 parameter(s), not the 3 axes and the 1 of the entry Pass" },
        { "private static partial Errno Dispatch(bool wired, Advice advice, int x);", "has 3 parameter(s), not the 3 axes and the 1 of the entry Pass" },
        { "private static partial Errno Dispatch(bool wired, Advice advice, bool cow, ref int x);", "takes 'ref int x' where the entry Pass takes 'int x'" },
        { "private static partial Errno Dispatch(bool wired, Advice advice, bool cow, long x);", "takes 'long x' where the entry Pass takes 'int x'" },
        { "private static partial Errno Dispatch(ref bool wired, Advice advice, bool cow, int x);", "takes 'ref bool wired' for axis wired, of type bool" },
        { "private static partial int Dispatch(bool wired, Advice advice, bool cow, int x);", "returns int, not what the entry Pass returns" },
        { "private static Errno Dispatch(bool wired, Advice advice, bool cow, int x) => Errno.OK;", "must be a partial method without a body: the generator writes its body" },
    };

    [Theory]
    [MemberData(nameof(WrongDispatchers))]
    public void FLT0006_dispatcher_that_does_not_fit_the_axes_and_the_entry(string declaration, string problem)
    {
        string fault = Synthetic.Fault(members: $"    [FaultPathDispatch(\"specialized\")]\n    {declaration} // dispatcher\n\n" + Synthetic.Entry);
        var run = Run(fault);
        var diagnostic = Assert.Single(run.AllDiagnostics);
        Assert.Equal("FLT0006", diagnostic.Id);
        Assert.Equal(Synthetic.LineOf(fault, "// dispatcher"), diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal($"Dispatcher 'Dispatch' {problem}; expected Errno Dispatch(bool wired, Advice advice, bool cow, int x)", diagnostic.GetMessage());
        // It is left unimplemented: the compiler says so too, if it is a partial method.
        Assert.DoesNotContain("Dispatch(", run.Text("Fault.Dispatch.g.cs"));
    }

    [Theory]
    [InlineData("[FaultPathDispatch(\"nonsense\")]", "dispatches the path 'nonsense': a dispatcher's path is \"specialized\" or \"monomorphized\"")]
    [InlineData("[FaultPathDispatch(null!)]", "dispatches the path '': a dispatcher's path is \"specialized\" or \"monomorphized\"")]
    public void FLT0006_dispatcher_of_an_unknown_path(string attribute, string problem)
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher.Replace("[FaultPathDispatch(\"specialized\")]", attribute) + "\n\n" + Synthetic.Entry);
        var run = Run(fault);
        var diagnostic = Assert.Single(run.AllDiagnostics);
        Assert.Equal("FLT0006", diagnostic.Id);
        Assert.StartsWith($"Dispatcher 'Dispatch' {problem}; expected", diagnostic.GetMessage());
    }

    [Fact]
    public void The_dispatcher_s_parameter_names_are_its_own()
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher.Replace("bool wired, Advice advice, bool copyOnWrite, int x", "bool w, Advice a, bool c, int value") + "\n\n" + Synthetic.Entry);
        var run = Run(fault);
        Assert.Empty(run.AllDiagnostics);
        Assert.Contains("switch (w, a, c)", run.Text("Fault.Dispatch.g.cs"));
        Assert.Contains("return wired_normal_cow.Pass(value);", run.Text("Fault.Dispatch.g.cs"));
    }

    // ---- axes and facades ----

    /// <summary>A facade of the given axis methods (members of FaultLab.Core.Spec), for a fault path over it.</summary>
    private static string[] FacadeWith(string axes, string facadeAttribute = "[SpecializationFacade(variantNameSeparator: \"+\")]") =>
    [
        Synthetic.Fault(Synthetic.Variants("wired+normal+cow"), Synthetic.Dispatcher + "\n\n" + Synthetic.Entry)
            .Replace("typeof(Spec)", "typeof(Knobs)").Replace("Spec.", "Knobs."),
        $"namespace FaultLab.Core;\n\npublic enum Two : byte {{ One, Under_Score }}\n\n{facadeAttribute}\ninternal static class Knobs\n{{\n{axes}\n}}\n",
    ];

    /// <summary>The synthetic facade's axes: Knobs with them is a good facade.</summary>
    private const string GoodAxes = Synthetic.SpecAxes;

    [Fact]
    public void A_facade_of_good_axes_generates()
    {
        var run = Run(FacadeWith(GoodAxes));
        Assert.Empty(run.AllDiagnostics);
        Assert.Contains("Fault.wired_normal_cow.g.cs", HintNames(run));
    }

    public static TheoryData<string, string, string> BadAxes => new()
    {
        { GoodAxes.Replace("WhenTrue = \"wired\"", "WhenTrue = \"wired\", ValueNames = [\"a\", \"b\"]"), "wired", "is a bool axis: it names its values with WhenFalse and WhenTrue (and no ValueNames)" },
        { GoodAxes.Replace(", WhenTrue = \"cow\"", ""), "cow", "is a bool axis: it names its values with WhenFalse and WhenTrue (and no ValueNames)" },
        { GoodAxes.Replace("[SpecializationAxis(\"advice\")]", "[SpecializationAxis(\"advice\", WhenFalse = \"x\")]"), "advice",
            "is an enum axis: WhenFalse and WhenTrue name a bool axis's values; name its values by Advice's members, or with ValueNames" },
        { GoodAxes.Replace("[SpecializationAxis(\"advice\")]", "[SpecializationAxis(\"advice\", ValueNames = [\"n\", \"r\"])]"), "advice",
            "gives 2 value name(s) for the 3 values of Advice (Normal, Random, Sequential)" },
        { GoodAxes.Replace("WhenTrue = \"cow\"", "WhenTrue = \"copy-on-write\""), "cow",
            "has the value name 'copy-on-write': a value's name is a letter followed by letters and digits" },
        { GoodAxes.Replace("WhenTrue = \"cow\"", "WhenTrue = \"nocow\""), "cow", "names two of its values 'nocow': the values of an axis have distinct names" },
        { GoodAxes.Replace("\"cow\", WhenFalse", "\"wired\", WhenFalse"), "wired", "is declared twice: axes have distinct names" },
        { GoodAxes.Replace("\"cow\", WhenFalse", "\"2cow\", WhenFalse"), "2cow", "is not a name: an axis's name is a letter followed by letters and digits" },
        { GoodAxes.Replace("bool CopyOnWrite(bool value) => value;", "bool CopyOnWrite(bool value, bool other) => value;"), "cow",
            "must be read by a method 'static T CopyOnWrite(T value)' that returns its argument, T a bool or an enum" },
        { GoodAxes.Replace("bool CopyOnWrite(bool value) => value;", "bool CopyOnWrite(int value) => value > 0;"), "cow",
            "must be read by a method 'static T CopyOnWrite(T value)' that returns its argument, T a bool or an enum" },
        { GoodAxes.Replace("bool CopyOnWrite(bool value) => value;", "bool CopyOnWrite(ref bool value) => value;"), "cow",
            "must be read by a method 'static T CopyOnWrite(T value)' that returns its argument, T a bool or an enum" },
        { GoodAxes.Replace("[SpecializationAxis(\"cow\", WhenFalse = \"nocow\", WhenTrue = \"cow\")]\n    public static bool CopyOnWrite(bool value) => value;",
            "[SpecializationAxis(\"level\")]\n    public static int Level(int value) => value;"), "level", "is of type int: an axis is a bool or an enum" },
        { GoodAxes + "\n    [SpecializationAxis(\"two\")]\n    public static Two Two(Two value) => value;", "two",
            "has the value name 'under_score': a value's name is a letter followed by letters and digits (give the names with ValueNames)" },
    };

    [Theory]
    [MemberData(nameof(BadAxes))]
    public void FLT0008_invalid_axis(string axes, string axis, string problem)
    {
        var sources = FacadeWith(axes);
        var run = Run(sources);
        var diagnostic = Assert.Single(run.Generator.Diagnostics);
        Assert.Equal("FLT0008", diagnostic.Id);
        Assert.Equal($"Axis '{axis}' {problem}", diagnostic.GetMessage());
        // On the axis's method, in the facade's source.
        Assert.Equal("Source2.cs", diagnostic.Location.GetLineSpan().Path);
        // An invalid facade makes nothing; the compiler then reports the unimplemented dispatcher.
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("[SpecializationFacade(variantNameSeparator: \"\")]", "has the variant name separator '': it must be non-empty, with no letter, digit or space, so that a variant's name splits back into its values")]
    [InlineData("[SpecializationFacade(variantNameSeparator: \"x\")]", "has the variant name separator 'x': it must be non-empty, with no letter, digit or space, so that a variant's name splits back into its values")]
    [InlineData("", "is not a specialization facade: mark it [SpecializationFacade(variantNameSeparator: ...)] and its axes [SpecializationAxis(...)]")]
    public void FLT0009_invalid_facade(string facadeAttribute, string problem)
    {
        var run = Run(FacadeWith(GoodAxes, facadeAttribute));
        var diagnostic = Assert.Single(run.Generator.Diagnostics);
        Assert.Equal("FLT0009", diagnostic.Id);
        Assert.Equal($"Knobs {problem}", diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void FLT0009_facade_without_axes()
    {
        var sources = FacadeWith("    public static bool Wired(bool value) => value;");
        var run = Run(sources);
        var diagnostic = AssertSingle(run, "FLT0009", 2, Synthetic.LineOf(sources[1], "class Knobs"));
        Assert.Equal("Knobs declares no axis: mark each of its configuration reads [SpecializationAxis(...)]", diagnostic.GetMessage());
    }

    [Fact]
    public void FLT0009_fault_path_that_names_no_facade()
    {
        string fault = Synthetic.Fault().Replace("[FaultPathFacade(typeof(Spec))]", "[FaultPathFacade(null!)] // here");
        var run = Run(fault);
        var diagnostic = Assert.Single(run.Generator.Diagnostics);
        Assert.Equal("FLT0009", diagnostic.Id);
        Assert.Equal(Synthetic.LineOf(fault, "// here"), diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("Fault names no facade: [FaultPathFacade(typeof(...))] takes the facade's type", diagnostic.GetMessage());
    }

    [Fact]
    public void Two_paths_over_one_bad_facade_report_it_once()
    {
        var sources = FacadeWith(GoodAxes.Replace(", WhenTrue = \"cow\"", ""));
        string second = sources[0].Replace("class Fault", "class Fault2");
        var run = Run([.. sources, second]);
        Assert.Equal("FLT0008", Assert.Single(run.Generator.Diagnostics).Id);
    }

    /// <summary>Separates the files of one source in <see cref="BadDeclarations"/>.</summary>
    private const string NextFile = "\n//--- next file\n";

    /// <summary>Declarations that are wrong in every way the generator could trip on: it reports, it does not throw.</summary>
    public static TheoryData<string, string> BadDeclarations => new()
    {
        { "null value", Synthetic.Fault("[FaultVariant(null!)]\n") },
        { "no value", Synthetic.Fault("[FaultVariant]\n") },
        { "value not a string", Synthetic.Fault("[FaultVariant(42)]\n") },
        { "no variant at all", Synthetic.Fault("") },
        { "facade that is not a type", Synthetic.Fault().Replace("typeof(Spec)", "typeof(Nowhere)") },
        { "facade that is the path itself", Synthetic.Fault().Replace("typeof(Spec)", "typeof(Fault)") },
        { "facade with a generic axis method", Synthetic.Fault().Replace("typeof(Spec)", "typeof(G)") + NextFile +
            "namespace FaultLab.Core;\n\n[SpecializationFacade(\"+\")]\ninternal static class G\n{\n    [SpecializationAxis(\"t\")]\n    public static T Read<T>(T value) => value;\n}\n" },
        { "axis of an empty enum", Synthetic.Fault().Replace("typeof(Spec)", "typeof(E)") + NextFile +
            "namespace FaultLab.Core;\n\npublic enum None { }\n\n[SpecializationFacade(\"+\")]\ninternal static class E\n{\n    [SpecializationAxis(\"none\")]\n    public static None Read(None value) => value;\n}\n" },
        { "axis without a name", Synthetic.Fault().Replace("typeof(Spec)", "typeof(E)") + NextFile +
            "namespace FaultLab.Core;\n\n[SpecializationFacade(\"+\")]\ninternal static class E\n{\n    [SpecializationAxis(null!)]\n    public static bool Read(bool value) => value;\n}\n" },
        { "variants on two partial declarations",
            Synthetic.Fault() + NextFile + "namespace FaultLab.Core;\n\n[FaultVariant(\"wired\", \"random\", \"cow\")]\ninternal static partial class Fault;\n" },
        { "the facade named on two partial declarations",
            Synthetic.Fault() + NextFile + "namespace FaultLab.Core;\n\n[FaultPathFacade(typeof(Spec))]\ninternal static partial class Fault;\n" },
        { "two fault path classes of the same name",
            Synthetic.Fault() + NextFile + Synthetic.Fault().Replace("namespace FaultLab.Core;", "namespace FaultLab.Other;\n\nusing FaultLab.Core;") },
        { "dispatcher with no parameter", Synthetic.Fault(members: """
                [FaultPathDispatch("specialized")]
                private static partial Errno Dispatch();

                [FaultPathEntry]
                private static Errno Pass() => Spec.Wired(true) ? Errno.OK : Errno.EFAULT;
            """) },
        { "dispatcher without its argument", Synthetic.Fault(members: Synthetic.Dispatcher.Replace("(\"specialized\")", "") + "\n" + Synthetic.Entry) },
        { "entry without a body", Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static partial Errno Pass(int x);
            """) },
        { "recursive entry and overloads", Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x) => Spec.Wired(x > 0) ? Pass(x - 1) : Step(x);

                private static Errno Step(int x) => Step(x, Spec.CopyOnWrite(x > 1));

                private static Errno Step(int x, bool cow) => cow ? Pass(x) : Errno.OK;
            """) },
        { "entry calling a method that does not exist", Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x) => Spec.Wired(x > 0) ? Missing(x) : Errno.OK;
            """) },
        { "syntax errors in the path", Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x)
                {
                    if (Spec.Wired(x > 0)
                        return Errno.OK
                    switch (Spec.Advice(Advice.Normal)) { case Advice.Normal: break; case }
                    bool w = Spec.Wired();
                    return w ? : Errno.EFAULT;
                }
            """) },
        { "generic class", Synthetic.Fault().Replace("partial class Fault", "partial class Fault<T>").Replace("static partial class", "partial class") },
        { "not partial", Synthetic.Fault().Replace("static partial class Fault", "static class Fault").Replace("private static partial Errno Dispatch(bool wired, Advice advice, bool copyOnWrite, int x);", "private static Errno Dispatch(bool wired, Advice advice, bool copyOnWrite, int x) => Errno.OK;") },
        { "nested class", "namespace FaultLab.Core;\n\ninternal static partial class Outer\n{\n[FaultPathFacade(typeof(Spec))]\n" + Synthetic.TwoVariants +
            "internal static partial class Fault\n{\n" + Synthetic.Dispatcher + "\n" + Synthetic.Entry + "\n}\n}\n" },
        { "global namespace", Synthetic.Fault().Replace("namespace FaultLab.Core;", "using FaultLab.Core;") },
        { "named argument of the name of a propagated local", Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x)
                {
                    bool wired = Spec.Wired(x > 0);
                    return Step(x, wired: wired);
                }

                private static Errno Step(int x, bool wired) => wired ? Errno.OK : Errno.EFAULT;
            """) },
        { "constant switch with patterns and goto", Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static Errno Pass(int x)
                {
                    switch (Spec.Advice(Advice.Normal))
                    {
                        case Advice.Normal when x > 0:
                            goto case Advice.Random;
                        case Advice.Random or Advice.Sequential:
                            return Errno.OK;
                        case var other:
                            return other == Advice.Normal ? Errno.OK : Errno.EFAULT;
                    }
                }
            """) },
    };

    [Theory]
    [MemberData(nameof(BadDeclarations))]
    public void Bad_declarations_do_not_crash_the_generator(string what, string source)
    {
        var run = GeneratorHarness.Run(Synthetic.Compile(source.Split(NextFile)));
        Assert.True(run.Generator.Exception is null, $"{what}: {run.Generator.Exception}");
        Assert.All(run.AllDiagnostics, d => Assert.StartsWith("FLT", d.Id));
    }
}
