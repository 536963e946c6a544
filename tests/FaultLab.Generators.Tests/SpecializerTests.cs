using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FaultLab.Generators.Tests;

/// <summary>The partial evaluator on small methods: what <see cref="Specializer.Fold"/> folds, and what it must leave alone.</summary>
public sealed class SpecializerTests
{
    private const string WiredNormalCow = "wired+normal+cow";
    private const string NowireRandomNocow = "nowire+random+nocow";
    private const string NowireSequentialCow = "nowire+sequential+cow";

    /// <summary>
    /// The method as the emitter has it before folding: declared in a class beside the synthetic facade, read by
    /// the parser (its facade calls and axis constants bound and marked), re-parsed.
    /// </summary>
    private static (MethodDeclarationSyntax Method, FacadeModel Facade) Prepare(string method)
    {
        var compilation = Synthetic.Compile("namespace FaultLab.Core;\n\ninternal static class C\n{\n" + method + "\n}\n");
        var tree = compilation.SyntaxTrees.Last();
        var syntax = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var known = new KnownTypes(compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var facade = FacadeParser.Read(compilation.GetTypeByMetadataName("FaultLab.Core.Spec")!, known, t => t.Name, null, diagnostics, default);
        Assert.Empty(diagnostics);
        var read = Parser.ReadMethod(syntax, compilation.GetSemanticModel(tree), facade, known, default);
        return (Emitter.Reparse(read, (CSharpParseOptions)tree.Options), facade!.Model);
    }

    /// <summary>The variant of that name ("wired+normal+cow": its values, joined by '+').</summary>
    private static VariantModel Variant(FacadeModel facade, string name) =>
        new(name, FacadeModel.Identifier(name),
            name.Split('+').Select((value, axis) => facade.Axes[axis].Values.Select(v => v.Name).ToList().IndexOf(value)).ToEquatableArray());

    private static MethodDeclarationSyntax Fold(string method, string variant = WiredNormalCow)
    {
        var (syntax, facade) = Prepare(method);
        return Specializer.Fold(syntax, facade, Variant(facade, variant));
    }

    private static string Normalize(SyntaxNode node) => node.NormalizeWhitespace("    ", "\n").ToFullString();

    /// <summary><paramref name="before"/> folds to <paramref name="after"/> (both compared with normalized whitespace).</summary>
    private static void AssertFolds(string before, string after, string variant = WiredNormalCow) =>
        Assert.Equal(Normalize(Prepare(after).Method), Normalize(Fold(before, variant)));

    private static void AssertUnchanged(string method, string variant = WiredNormalCow) => AssertFolds(method, method, variant);

    // ---- expressions ----

    [Fact]
    public void Not_of_a_literal() => AssertFolds("bool F() => !true;", "bool F() => false;");

    [Fact]
    public void Not_of_a_facade() => AssertFolds("bool F(bool w) => !Spec.Wired(w);", "bool F(bool w) => true;", NowireRandomNocow);

    [Fact]
    public void True_and_x_is_x() => AssertFolds("bool F(bool x) => true && x;", "bool F(bool x) => x;");

    [Fact]
    public void False_and_anything_is_false_without_evaluating_it() => AssertFolds("bool F() => false && G();", "bool F() => false;");

    [Fact]
    public void X_and_true_is_x() => AssertFolds("bool F() => G() && true;", "bool F() => G();");

    [Fact]
    public void Pure_x_and_false_is_false()
    {
        AssertFolds("bool F(bool x) => x && false;", "bool F(bool x) => false;");
        AssertFolds("bool F(Ctx c) => c.Flag && false;", "bool F(Ctx c) => false;");
        AssertFolds("bool F(Ctx c) => !c.Flag && false;", "bool F(Ctx c) => false;");
    }

    [Fact]
    public void Impure_x_and_false_is_left_alone()
    {
        // G() must still run: the operator is kept.
        AssertUnchanged("bool F() => G() && false;");
        AssertUnchanged("bool F(int[] a) => a[0]++ > 0 && false;");
        AssertFolds("bool F() => G() && Spec.Wired(true);", "bool F() => G() && false;", NowireRandomNocow);
    }

    [Fact]
    public void Or_folds_the_same_way()
    {
        AssertFolds("bool F(bool x) => true || x;", "bool F(bool x) => true;");
        AssertFolds("bool F(bool x) => false || x;", "bool F(bool x) => x;");
        AssertFolds("bool F(bool x) => x || true;", "bool F(bool x) => true;");
        AssertUnchanged("bool F() => G() || true;");
        AssertFolds("bool F() => G() || false;", "bool F() => G();");
    }

    [Fact]
    public void Advice_values_compare()
    {
        AssertFolds("bool F() => Advice.Sequential == Advice.Normal;", "bool F() => false;");
        AssertFolds("bool F() => Advice.Sequential != Advice.Normal;", "bool F() => true;");
        AssertFolds("bool F(Entry e) => Spec.Advice(e.Advice) == Advice.Random;", "bool F(Entry e) => true;", NowireRandomNocow);
        AssertFolds("bool F(Entry e) => Spec.Advice(e.Advice) == Advice.Random;", "bool F(Entry e) => false;", NowireSequentialCow);
        // Not a constant: left alone.
        AssertUnchanged("bool F(Entry e) => e.Advice == Advice.Random;");
    }

    [Fact]
    public void Bools_compare()
    {
        AssertFolds("bool F() => true == false;", "bool F() => false;");
        AssertFolds("bool F(bool w) => Spec.Wired(w) != Spec.CopyOnWrite(w);", "bool F(bool w) => false;");
    }

    [Fact]
    public void Parentheses_around_a_constant_go()
    {
        AssertFolds("bool F(bool x) => (Spec.Wired(x)) && x;", "bool F(bool x) => x;");
        AssertFolds("bool F(bool x) => !(Spec.Wired(x));", "bool F(bool x) => false;");
        // Other parentheses are the author's.
        AssertUnchanged("bool F(bool x) => (x) && (G());");
    }

    [Fact]
    public void Conditional_keeps_its_live_branch()
    {
        AssertFolds("int F(bool w) => Spec.Wired(w) ? 1 : 2;", "int F(bool w) => 1;");
        AssertFolds("int F(bool w) => Spec.Wired(w) ? 1 : 2;", "int F(bool w) => 2;", NowireRandomNocow);
        // A branch that is not a primary expression keeps parentheses, so that precedence does not change.
        AssertFolds("int F(bool w, int a, int b) => 3 * (Spec.Wired(w) ? a + b : a);", "int F(bool w, int a, int b) => 3 * (a + b);");
        AssertFolds("Prot F(bool c) => Spec.CopyOnWrite(c) ? Prot.Read : Prot.ReadWrite;", "Prot F(bool c) => Prot.ReadWrite;", NowireRandomNocow);
    }

    // ---- statements ----

    [Fact]
    public void If_false_else_keeps_the_else_branch()
    {
        AssertFolds(
            "void F() { if (false) { A(); } else { B(); } C(); }",
            "void F() { B(); C(); }");
    }

    [Fact]
    public void If_on_a_facade_without_else()
    {
        const string method = "void F(bool w) { if (Spec.Wired(w)) { A(); } B(); }";
        AssertFolds(method, "void F(bool w) { A(); B(); }");
        AssertFolds(method, "void F(bool w) { B(); }", NowireRandomNocow);
    }

    [Fact]
    public void Else_if_on_a_constant()
    {
        const string method = "void F(bool x, bool w) { if (x) A(); else if (Spec.Wired(w)) B(); else C(); }";
        AssertFolds(method, "void F(bool x, bool w) { if (x) A(); else B(); }");
        AssertFolds(method, "void F(bool x, bool w) { if (x) A(); else C(); }", NowireRandomNocow);
    }

    [Fact]
    public void A_live_branch_that_declares_locals_stays_a_block()
    {
        AssertFolds(
            "void F(bool w) { if (Spec.Wired(w)) { int n = G(); A(n); } int k = 0; A(k); }",
            "void F(bool w) { { int n = G(); A(n); } A(0); }");
    }

    [Fact]
    public void Switch_on_a_constant_keeps_its_live_section()
    {
        const string method = """
            int F(Entry e)
            {
                int back;
                switch (Spec.Advice(e.Advice))
                {
                    case Advice.Normal:
                        back = 3;
                        break;
                    case Advice.Random:
                        back = 0;
                        break;
                    default:
                        back = 8;
                        break;
                }
                return back;
            }
            """;
        AssertFolds(method, "int F(Entry e) { int back; back = 3; return back; }", WiredNormalCow);
        AssertFolds(method, "int F(Entry e) { int back; back = 0; return back; }", NowireRandomNocow);
        AssertFolds(method, "int F(Entry e) { int back; back = 8; return back; }", NowireSequentialCow);
    }

    [Fact]
    public void Switch_on_a_constant_with_no_matching_section_and_no_default_is_gone()
    {
        AssertFolds("void F(Entry e) { switch (Spec.Advice(e.Advice)) { case Advice.Normal: A(); break; } B(); }",
            "void F(Entry e) { B(); }", NowireRandomNocow);
    }

    [Fact]
    public void Switch_section_that_breaks_from_its_middle_is_left_alone()
    {
        AssertUnchanged("void F(bool x) { switch (Advice.Normal) { case Advice.Normal: if (x) break; A(); break; } }");
        // A break of a loop inside the section is fine.
        AssertFolds("void F(int n) { switch (Advice.Normal) { case Advice.Normal: while (n-- > 0) { if (G()) break; } A(); break; } }",
            "void F(int n) { while (n-- > 0) { if (G()) break; } A(); }");
    }

    [Fact]
    public void Switch_section_that_returns_keeps_its_return_and_drops_what_follows()
    {
        AssertFolds("int F(Entry e) { switch (Spec.Advice(e.Advice)) { case Advice.Random: return 1; default: A(); break; } return 2; }",
            "int F(Entry e) { return 1; }", NowireRandomNocow);
    }

    [Fact]
    public void Constant_local_is_propagated_and_its_declaration_removed()
    {
        AssertFolds(
            "void F(Ctx flt) { bool wirePaging = Spec.Wired(flt.WirePaging); if (wirePaging) { Wire(); } else { Activate(); } if (wirePaging) Drop(); }",
            "void F(Ctx flt) { Activate(); }", NowireRandomNocow);
        AssertFolds(
            "void F(Entry e) { var advice = Spec.Advice(e.Advice); if (advice == Advice.Sequential) Flush(); Done(); }",
            "void F(Entry e) { Flush(); Done(); }", NowireSequentialCow);
        // A constant read from the method's own literals too.
        AssertFolds("int F() { var n = 4; return n + n; }", "int F() { return 4 + 4; }");
    }

    [Fact]
    public void Local_written_later_is_not_propagated()
    {
        AssertFolds(
            "void F(bool x, bool w) { bool wired = Spec.Wired(w); if (x) wired = true; if (wired) A(); }",
            "void F(bool x, bool w) { bool wired = false; if (x) wired = true; if (wired) A(); }", NowireRandomNocow);
        AssertUnchanged("void F(bool x) { bool done = false; if (x) done |= G(); if (done) A(); }");
        AssertUnchanged("int F() { int n = 0; n++; return n; }");
        AssertUnchanged("int F() { int n = 0; --n; return n; }");
        AssertUnchanged("bool F() { bool ok = false; G(out ok); return ok; }");
        AssertUnchanged("bool F() { bool ok = false; G(ref ok); return ok; }");
    }

    [Fact]
    public void Local_written_by_a_deconstruction_is_not_propagated()
    {
        AssertUnchanged("bool F() { bool ok = false; int n; (ok, n) = G(); return ok; }");
    }

    [Fact]
    public void Local_declared_twice_is_not_propagated()
    {
        // Two locals of one name in two scopes: which is which is not for a syntactic pass to guess.
        AssertUnchanged("int F(bool x) { if (x) { var n = 1; A(n); } else { var n = 2; A(n); } return 0; }");
    }

    [Fact]
    public void Named_argument_of_the_name_of_a_propagated_local_stays_a_name()
    {
        AssertFolds(
            "void F(Ctx flt) { bool wired = Spec.Wired(flt.WireMapping); Enter(pg, wired: wired); }",
            "void F(Ctx flt) { Enter(pg, wired: true); }");
    }

    [Fact]
    public void Member_of_the_name_of_a_propagated_local_stays_a_member()
    {
        AssertFolds(
            "void F(Ctx flt) { bool wired = Spec.Wired(flt.WireMapping); flt.wired = wired; }",
            "void F(Ctx flt) { flt.wired = true; }");
    }

    [Fact]
    public void Numeric_constant_of_a_wider_declared_type_is_not_propagated()
    {
        // Propagating the literal would make the shift an int shift: 1 << 40 is 256, not 2^40.
        AssertUnchanged("long F() { long size = 1; return size << 40; }");
        AssertUnchanged("double F() { double d = 1; return d / 2; }");
        AssertUnchanged("bool? F() { bool? b = true; return b; }");
        // Of its own type it is.
        AssertFolds("int F() { int n = 1; return n << 4; }", "int F() { return 1 << 4; }");
        AssertFolds("long F() { var n = 1L; return n << 40; }", "long F() { return 1L << 40; }");
    }

    [Fact]
    public void Switch_with_pattern_labels_is_left_alone()
    {
        // 'case Advice.Normal or Advice.Random' is a pattern, not a constant label: taking the default for the
        // random variant would be wrong, and a syntactic pass does not evaluate patterns.
        AssertUnchanged("void F(Entry e) { switch (Spec.Advice(e.Advice)) { case Advice.Normal or Advice.Random: A(); break; default: B(); break; } }"
            .Replace("Spec.Advice(e.Advice)", "Advice.Random"));
        AssertUnchanged("void F(Entry e, bool x) { switch (Advice.Random) { case Advice.Random when x: A(); break; default: B(); break; } }");
        AssertUnchanged("void F(Entry e) { switch (Advice.Random) { case var a: A(a); break; } }");
    }

    [Fact]
    public void Switch_section_that_goes_to_another_section_is_left_alone()
    {
        AssertUnchanged("void F() { switch (Advice.Normal) { case Advice.Normal: A(); goto default; default: B(); break; } }");
        AssertUnchanged("void F() { switch (Advice.Normal) { case Advice.Normal: A(); goto case Advice.Random; case Advice.Random: B(); break; } }");
    }

    [Fact]
    public void Unreachable_statements_after_a_spliced_return_are_dropped()
    {
        AssertFolds(
            "int F(bool w) { if (Spec.Wired(w)) { return 1; } A(); return 2; }",
            "int F(bool w) { return 1; }");
        AssertFolds(
            "int F(bool w) { if (Spec.Wired(w)) { A(); throw new E(); } B(); return 2; }",
            "int F(bool w) { A(); throw new E(); }");
        // Both branches end the flow: what follows the if goes too.
        AssertFolds(
            "int F(bool x, bool w) { if (x) { return 1; } else if (Spec.Wired(w)) { return 2; } else { return 3; } A(); }",
            "int F(bool x, bool w) { if (x) { return 1; } else { return 2; } }");
        // In a loop, after a break or continue.
        AssertFolds(
            "void F(bool w) { while (G()) { if (Spec.Wired(w)) continue; A(); } }",
            "void F(bool w) { while (G()) { continue; } }");
    }

    [Fact]
    public void A_label_a_goto_jumps_to_survives_the_return_before_it()
    {
        // The probe: folded to a lone 'goto Done;' (its label dropped as unreachable), it did not compile.
        const string probe = "Errno F(int x) { if (Spec.Wired(x > 0)) goto Done; return Errno.EFAULT; Done: return Errno.OK; }";
        AssertFolds(probe, "Errno F(int x) { return Errno.OK; }");
        AssertFolds(probe, "Errno F(int x) { return Errno.EFAULT; }", NowireRandomNocow);
    }

    [Fact]
    public void A_label_a_live_goto_still_jumps_to_is_kept_with_what_follows()
    {
        const string method = "int F(bool x, bool w) { if (x) goto Done; if (Spec.Wired(w)) return 1; B(); Done: C(); return 2; }";
        AssertFolds(method, "int F(bool x, bool w) { if (x) goto Done; return 1; Done: C(); return 2; }");
        AssertFolds(method, "int F(bool x, bool w) { if (x) goto Done; B(); Done: C(); return 2; }", NowireRandomNocow);
        // A backward goto: the loop it makes is left as it is.
        AssertUnchanged("int F(int n) { Again: n--; if (G(n)) goto Again; return n; }");
    }

    [Fact]
    public void A_branch_that_holds_a_label_is_not_spliced()
    {
        // Spliced, the label would move to the enclosing block, where a label of that name may already be.
        AssertFolds("void F(bool w) { if (Spec.Wired(w)) { Retry: if (G()) goto Retry; } A(); }",
            "void F(bool w) { { Retry: if (G()) goto Retry; } A(); }");
    }

    [Fact]
    public void Spliced_branches_that_declare_out_variables_stay_blocks()
    {
        // Two live branches, each declaring 'v': spliced into one block they would declare it twice.
        var folded = Fold("void F(bool x) { if (Spec.Wired(x)) { G(out var v); A(v); } if (Spec.CopyOnWrite(x)) { G(out var v); A(v); } }");
        var compilation = CSharpCompilation.Create("Fold", [CSharpSyntaxTree.ParseText(
            "class C { static void G(out int v) => v = 1; static void A(int v) { } static " + folded.ToFullString() + " }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Folding_runs_to_a_fixpoint()
    {
        AssertFolds(
            """
            void F(Ctx flt, Entry e)
            {
                bool wired = Spec.Wired(flt.WireMapping);
                bool cow = Spec.CopyOnWrite(e.IsCopyOnWrite);
                bool both = wired && !cow;
                if (!(both || Spec.Advice(e.Advice) == Advice.Sequential))
                    return;
                A();
            }
            """,
            "void F(Ctx flt, Entry e) { A(); }", "wired+normal+nocow");
    }

    [Fact]
    public void Comments_and_the_rest_of_the_method_are_kept()
    {
        var folded = Fold("""
            /// <summary>Doc.</summary>
            private static int F(bool w)
            {
                // why
                int n = G(); // trailing
                if (Spec.Wired(w))
                    n++;
                return n;
            }
            """).ToFullString();
        Assert.Contains("/// <summary>Doc.</summary>", folded);
        Assert.Contains("// why", folded);
        Assert.Contains("// trailing", folded);
        Assert.Contains("internal static int F(bool w)", folded);
        Assert.Contains("n++;", folded);
        Assert.DoesNotContain("Spec.", folded);
    }

    [Fact]
    public void Monomorphize_reads_the_type_parameter()
    {
        var (method, facade) = Prepare("bool F(Ctx flt, Entry e) => Spec.Wired(flt.W) && Spec.CopyOnWrite(e.C) && Spec.Advice(e.A) == Advice.Normal;");
        Assert.Equal("internal bool F(Ctx flt, Entry e) => TConfig.Wired && TConfig.CopyOnWrite && TConfig.Advice == Advice.Normal;",
            Normalize(Specializer.Monomorphize(method, facade, "TConfig")));
    }

    [Fact]
    public void Facade_calls_and_constants_are_found_by_symbol_however_they_are_spelled()
    {
        // Qualified, and an enum constant written in full: both bound.
        AssertFolds("bool F(Entry e) => global::FaultLab.Core.Spec.Advice(e.Advice) == FaultLab.Core.Advice.Random;", "bool F(Entry e) => true;", NowireRandomNocow);
        // A method of another class that has the facade's method name is not a facade call.
        AssertUnchanged("bool F(bool w) => Other.Wired(w) && Wired(w);");
    }
}
