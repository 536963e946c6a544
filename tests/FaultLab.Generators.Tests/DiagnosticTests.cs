using Microsoft.CodeAnalysis;

namespace FaultLab.Generators.Tests;

/// <summary>FLT0001–FLT0005 on small synthetic sources: id, severity, where, and never a crash.</summary>
public sealed class DiagnosticTests
{
    private static GeneratorRun Run(params string[] sources) => Synthetic.Run(sources);

    /// <summary>The one diagnostic the generator reported; it has that id, is an error, and is on that line of that source.</summary>
    private static Diagnostic AssertSingle(GeneratorRun run, string id, int source, int line)
    {
        var diagnostic = Assert.Single(run.Generator.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("FaultLab.Specialization", diagnostic.Descriptor.Category);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal($"Source{source}.cs", span.Path);
        Assert.Equal(line, span.StartLinePosition.Line);
        return diagnostic;
    }

    [Fact]
    public void FLT0001_duplicate_variant_is_reported_on_the_second_line()
    {
        string fault = Synthetic.Fault(
            "[FaultVariant(\"wired+normal+cow\")]\n" +
            "[FaultVariant(\"nowire+random+nocow\")]\n" +
            "[FaultVariant(\"wired+normal+cow\")] // again\n");
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0001", 1, Synthetic.LineOf(fault, "// again"));
        Assert.Equal("Variant 'wired+normal+cow' is declared more than once", diagnostic.GetMessage());
        // The first declaration stands.
        Assert.Single(run.Sources, s => s.HintName == "Fault.wired_normal_cow.g.cs");
    }

    [Theory]
    [InlineData("wired+fast+cow", "'fast' is not normal, random or sequential")]
    [InlineData("wired+normal", "it has 2 part(s), not 3")]
    [InlineData("wired+normal+cow+nocow", "it has 4 part(s), not 3")]
    [InlineData("", "it has 1 part(s), not 3")]
    [InlineData("wire+normal+cow", "'wire' is not wired or nowire")]
    [InlineData("Wired+Normal+Cow", "'Wired' is not wired or nowire")]
    [InlineData("nowire+random+copy", "'copy' is not cow or nocow")]
    [InlineData("wired_normal_cow", "it has 1 part(s), not 3")]
    public void FLT0002_malformed_variant_name(string name, string problem)
    {
        string fault = Synthetic.Fault(
            "[FaultVariant(\"nowire+normal+cow\")]\n" +
            $"[FaultVariant(\"{name}\")] // bad\n");
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0002", 1, Synthetic.LineOf(fault, "// bad"));
        Assert.Equal($"Variant name '{name}' is not wired|nowire + normal|random|sequential + cow|nocow: {problem}", diagnostic.GetMessage());
        // The good variant is still generated, the bad one not.
        Assert.Equal(["Fault.nowire_normal_cow.g.cs", "Fault.Monomorphized.g.cs", "Fault.Dispatch.g.cs", "Fault.Sources.g.cs"], run.Sources.Select(s => s.HintName));
    }

    [Fact]
    public void FLT0003_facade_call_in_a_method_the_entry_never_reaches()
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + "\n\n" + Synthetic.Entry + "\n\n" + """
                /// <summary>Nobody calls this.</summary>
                private static bool Orphan(bool b) => Spec.Wired(b); // unreachable
            """);
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0003", 1, Synthetic.LineOf(fault, "// unreachable"));
        Assert.Contains("Orphan, which the fault path entry Pass never reaches", diagnostic.GetMessage());
    }

    [Fact]
    public void FLT0003_facade_call_outside_the_class_declaring_the_variants()
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
        Assert.Equal("Spec.CopyOnWrite cannot be folded here: it is outside the class that declares the variants (in Other), so no variant would fold it",
            diagnostic.GetMessage());
        // The column is that of the call.
        Assert.Equal(8, diagnostic.Location.GetLineSpan().StartLinePosition.Character);
    }

    [Fact]
    public void FLT0003_facade_call_in_a_nested_type_of_the_variant_class()
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
    public void FLT0003_facade_call_in_a_member_of_the_variant_class_that_is_not_a_method(string member, string what)
    {
        string fault = Synthetic.Fault(members: Synthetic.Dispatcher + "\n\n" + Synthetic.Entry + "\n\n    " + member + "\n");
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0003", 1, Synthetic.LineOf(fault, "// member"));
        Assert.EndsWith($"it is in {what} of Fault, and only methods are copied into the variants", diagnostic.GetMessage());
    }

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

    [Fact]
    public void FLT0005_class_without_an_entry()
    {
        string fault = "namespace FaultLab.Core;\n\n" +
            "[FaultVariant(\"wired+normal+cow\")]\n" +
            "internal static partial class Fault // class\n{\n" + Synthetic.Dispatcher + "\n}\n";
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0005", 1, Synthetic.LineOf(fault, "// class"));
        Assert.Equal("No method of Fault is marked [FaultPathEntry]: there is no fault path entry to specialize from", diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void FLT0005_class_without_a_dispatcher()
    {
        string fault = "namespace FaultLab.Core;\n\n" +
            "[FaultVariant(\"wired+normal+cow\")]\n" +
            "internal static partial class Fault // class\n{\n" + Synthetic.Entry + "\n}\n";
        var run = Run(fault);
        var diagnostic = AssertSingle(run, "FLT0005", 1, Synthetic.LineOf(fault, "// class"));
        Assert.Contains("No partial method of Fault is marked [FaultPathDispatch(...)]", diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void FLT0001_duplicate_variant_across_partial_declarations()
    {
        const string more = "namespace FaultLab.Core;\n\n[FaultVariant(\"nowire+random+nocow\")] // again\ninternal static partial class Fault;\n";
        var run = Run(Synthetic.Fault(), more);
        AssertSingle(run, "FLT0001", 2, Synthetic.LineOf(more, "// again"));
        Assert.Equal(["Fault.wired_normal_cow.g.cs", "Fault.nowire_random_nocow.g.cs", "Fault.Monomorphized.g.cs", "Fault.Dispatch.g.cs", "Fault.Sources.g.cs"],
            run.Sources.Select(s => s.HintName));
    }

    /// <summary>Separates the files of one source in <see cref="BadDeclarations"/>.</summary>
    private const string NextFile = "\n//--- next file\n";

    /// <summary>Declarations that are wrong in every way the generator could trip on: it reports, it does not throw.</summary>
    public static TheoryData<string, string> BadDeclarations => new()
    {
        { "null name", Synthetic.Fault("[FaultVariant(null!)]\n") },
        { "no name", Synthetic.Fault("[FaultVariant]\n") },
        { "name not a string", Synthetic.Fault("[FaultVariant(42)]\n") },
        { "no variant at all", Synthetic.Fault("") },
        { "variants on two partial declarations",
            Synthetic.Fault() + NextFile + "namespace FaultLab.Core;\n\n[FaultVariant(\"wired+random+cow\")]\ninternal static partial class Fault;\n" },
        { "the same variant on two partial declarations",
            Synthetic.Fault() + NextFile + "namespace FaultLab.Core;\n\n[FaultVariant(\"wired+normal+cow\")]\ninternal static partial class Fault;\n" },
        { "two variant classes of the same name",
            Synthetic.Fault() + NextFile + Synthetic.Fault().Replace("namespace FaultLab.Core;", "namespace FaultLab.Other;\n\nusing FaultLab.Core;") },
        { "dispatcher with no parameter", Synthetic.Fault(members: """
                [FaultPathDispatch("specialized")]
                private static partial Errno Dispatch();

                [FaultPathEntry]
                private static Errno Pass() => Spec.Wired(true) ? Errno.OK : Errno.EFAULT;
            """) },
        { "dispatcher of an unknown path", Synthetic.Fault(members: Synthetic.Dispatcher.Replace("\"specialized\"", "\"nonsense\"") + "\n" + Synthetic.Entry) },
        { "dispatcher without its argument", Synthetic.Fault(members: Synthetic.Dispatcher.Replace("(\"specialized\")", "") + "\n" + Synthetic.Entry) },
        { "entry without a body", Synthetic.Fault(members: Synthetic.Dispatcher + """

                [FaultPathEntry]
                private static partial Errno Pass(int x);
            """) },
        { "two entries", Synthetic.Fault(members: Synthetic.Dispatcher + "\n" + Synthetic.Entry + """

                [FaultPathEntry]
                private static Errno Other(int x) => Spec.Wired(x > 0) ? Errno.OK : Errno.EFAULT;
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
        { "nested class", "namespace FaultLab.Core;\n\ninternal static partial class Outer\n{\n" + Synthetic.TwoVariants +
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
        var run = GeneratorHarness.Run(GeneratorHarness.Compile([Synthetic.Declarations, .. source.Split(NextFile)]));
        Assert.True(run.Generator.Exception is null, $"{what}: {run.Generator.Exception}");
        Assert.All(run.Generator.Diagnostics, d => Assert.StartsWith("FLT", d.Id));
    }
}
