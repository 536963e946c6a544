using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FaultLab.Generators.Tests;

/// <summary>Variants are declared by FaultCore, one attribute line each: adding one is adding a line.</summary>
public sealed class VariantDeclarationTests
{
    private static string VariantsFile(params string[] variants) =>
        "namespace FaultLab.Core;\n\n[FaultPathFacade(typeof(Spec))]\n" + Synthetic.Variants(variants) + "internal static partial class UvmFault;\n";

    private static GeneratorRun RunWith(params string[] variants) =>
        GeneratorHarness.Run(GeneratorHarness.FaultCore(new Dictionary<string, string>
        {
            [GeneratorHarness.VariantsFile] = VariantsFile(variants),
        }));

    private static IEnumerable<string> VariantFiles(GeneratorRun run) =>
        run.Sources.Select(s => s.HintName)
            .Where(h => h.StartsWith("UvmFault.", StringComparison.Ordinal))
            .Where(h => h != GeneratorHarness.DispatchFile && h != GeneratorHarness.MonomorphizedFile && h != GeneratorHarness.SourcesFile);

    /// <summary>The case labels of each dispatcher, as text.</summary>
    private static Dictionary<string, List<string>> DispatcherCases(GeneratorRun run) =>
        run.Sources.Single(s => s.HintName == GeneratorHarness.DispatchFile).SyntaxTree.GetRoot()
            .DescendantNodes().OfType<MethodDeclarationSyntax>()
            .ToDictionary(m => m.Identifier.ValueText, m => m.DescendantNodes().OfType<CasePatternSwitchLabelSyntax>().Select(l => l.Pattern.ToString()).ToList());

    private static void AssertCompilesClean(GeneratorRun run)
    {
        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.Generator.Diagnostics);
        var problems = run.OutputProblems();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Two_lines_make_two_variants_and_a_third_line_a_third()
    {
        var two = RunWith("wired+normal+cow", "nowire+random+nocow");
        Assert.Equal(["UvmFault.wired_normal_cow.g.cs", "UvmFault.nowire_random_nocow.g.cs"], VariantFiles(two));
        var cases = DispatcherCases(two);
        Assert.Equal(["MonomorphizedPass", "SpecializedPass"], cases.Keys.Order(StringComparer.Ordinal));
        foreach (var labels in cases.Values)
            Assert.Equal(["(true, Advice.Normal, true)", "(false, Advice.Random, false)"], labels);
        AssertCompilesClean(two);

        var three = RunWith("wired+normal+cow", "nowire+random+nocow", "nowire+sequential+cow");
        Assert.Equal(["UvmFault.wired_normal_cow.g.cs", "UvmFault.nowire_random_nocow.g.cs", "UvmFault.nowire_sequential_cow.g.cs"], VariantFiles(three));
        foreach (var labels in DispatcherCases(three).Values)
            Assert.Equal(["(true, Advice.Normal, true)", "(false, Advice.Random, false)", "(false, Advice.Sequential, true)"], labels);

        // Nothing else changed: the first two variants are the same text.
        foreach (var hint in VariantFiles(two))
            Assert.Equal(two.Text(hint), three.Text(hint));
    }

    [Fact]
    public void A_variant_is_the_same_whatever_else_is_declared()
    {
        var alone = RunWith("nowire+sequential+nocow");
        const string hint = "UvmFault.nowire_sequential_nocow.g.cs";
        Assert.Equal(GeneratorHarness.FaultCoreRun.Text(hint), alone.Text(hint));
    }
}
