using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FaultLab.Generators.Tests;

/// <summary>
/// The pipeline is incremental: edits that cannot change the output leave its steps ("Model", "Emit") cached
/// or unchanged, and edits of the generic path go through to the output.
/// </summary>
public sealed class IncrementalTests
{
    private const string PageDaemon = "src/FaultCore/NetBsd/Ops/PageDaemon.cs";
    private const string UvmFaultUpperFile = "src/FaultCore/NetBsd/Fault/UvmFault.Upper.cs";
    private const string SupportFile = "src/FaultCore/NetBsd/Fault/UvmFault.Support.cs";

    private static readonly string[] PipelineSteps = ["Model", "Emit"];

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string step)
    {
        Assert.True(run.Generator.TrackedSteps.TryGetValue(step, out var steps), $"no tracked step {step}");
        Assert.NotEmpty(steps);
        return steps.SelectMany(s => s.Outputs);
    }

    private static void AssertNothingRecomputed(GeneratorRun run)
    {
        foreach (var step in PipelineSteps)
        {
            var outputs = Outputs(run, step).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {step}: output is {o.Reason}"));
        }
        Assert.All(run.Generator.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step: {o.Reason}"));
    }

    private static void AssertSameOutput(GeneratorRun before, GeneratorRun after)
    {
        Assert.Equal(before.Sources.Select(s => s.HintName), after.Sources.Select(s => s.HintName));
        foreach (var (a, b) in before.Sources.Zip(after.Sources))
            Assert.True(a.SourceText.ToString() == b.SourceText.ToString(), $"{a.HintName} changed");
    }

    /// <summary>The compilation with the first occurrence of <paramref name="find"/> in <paramref name="path"/> replaced, as an edit of its tree.</summary>
    private static Compilation Edit(Compilation compilation, string path, string find, string replace)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText();
        int at = text.ToString().IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{find} is not in {path}");
        var edited = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(at, find.Length), replace)));
        return compilation.ReplaceSyntaxTree(tree, edited);
    }

    [Fact]
    public void Unrelated_file_and_comment_edit_leave_the_pipeline_cached()
    {
        // From the shared run (drivers are immutable: each run makes a new one).
        var first = GeneratorHarness.FaultCoreRun;
        var compilation = first.Input;

        // A new file with a class of its own.
        var withUnrelated = compilation.AddSyntaxTrees(GeneratorHarness.Parse(
            "namespace FaultLab.Core;\n\ninternal class Unrelated\n{\n}\n", "src/FaultCore/Unrelated.cs"));
        var second = GeneratorHarness.Run(withUnrelated, first.Driver);
        AssertNothingRecomputed(second);
        AssertSameOutput(first, second);

        // A comment inside a file that holds no part of UvmFault.
        var commentEdited = Edit(withUnrelated, PageDaemon, "//", "// edited:");
        Assert.Contains("// edited:", commentEdited.SyntaxTrees.Single(t => t.FilePath == PageDaemon).ToString());
        var third = GeneratorHarness.Run(commentEdited, second.Driver);
        AssertNothingRecomputed(third);
        AssertSameOutput(first, third);

        // And a code edit there too: still nothing of UvmFault changed.
        var codeEdited = commentEdited.AddSyntaxTrees(GeneratorHarness.Parse(
            "namespace FaultLab.Core;\n\ninternal static class MoreUnrelated\n{\n    public static int Three() => 3;\n}\n", "src/FaultCore/MoreUnrelated.cs"));
        var fourth = GeneratorHarness.Run(codeEdited, third.Driver);
        AssertNothingRecomputed(fourth);
        AssertSameOutput(first, fourth);
    }

    [Fact]
    public void Editing_a_method_of_the_generic_path_changes_the_output()
    {
        // From the shared run (drivers are immutable: each run makes a new one).
        var first = GeneratorHarness.FaultCoreRun;
        var compilation = first.Input;

        // UpperNeighbor is copied into every variant.
        var edited = Edit(compilation, UvmFaultUpperFile, "m.Cnt.fltnamap++;", "m.Cnt.fltnamap += 1;");
        var second = GeneratorHarness.Run(edited, first.Driver);

        Assert.Contains(Outputs(second, "Model"), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(Outputs(second, "Emit"), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(first.Sources.Select(s => s.HintName), second.Sources.Select(s => s.HintName));
        foreach (var (a, b) in first.Sources.Zip(second.Sources))
        {
            // The catalog counts lines, which did not change: the dispatch file is the same; and the other fault
            // path of the compilation (FreeBsdFault's) is not touched.
            if (a.HintName == GeneratorHarness.DispatchFile || !a.HintName.StartsWith("UvmFault.", StringComparison.Ordinal))
            {
                Assert.Equal(a.SourceText.ToString(), b.SourceText.ToString());
                continue;
            }
            Assert.NotEqual(a.SourceText.ToString(), b.SourceText.ToString());
            Assert.Contains("m.Cnt.fltnamap += 1;", b.SourceText.ToString());
        }
    }

    [Fact]
    public void Editing_a_method_the_variants_share_reaches_the_model_but_not_the_output()
    {
        // From the shared run (drivers are immutable: each run makes a new one).
        var first = GeneratorHarness.FaultCoreRun;
        var compilation = first.Input;

        // UnlockMaps reads no facade: the variants call the generic one.
        var edited = Edit(compilation, SupportFile, "UvmLocks.VmMapUnlockRead(m, ufi.OrigMap);",
            "UvmLocks.VmMapUnlockRead(m, ufi.OrigMap); // edited");
        var second = GeneratorHarness.Run(edited, first.Driver);

        Assert.Contains(Outputs(second, "Model"), o => o.Reason == IncrementalStepRunReason.Modified);
        // UvmFault's emit step runs and finds its output unchanged; the other path's is cached.
        Assert.Contains(Outputs(second, "Emit"), o => o.Reason == IncrementalStepRunReason.Unchanged);
        Assert.All(Outputs(second, "Emit"), o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, $"{o.Reason}"));
        AssertSameOutput(first, second);
    }

    [Fact]
    public void Editing_one_fault_path_leaves_the_other_paths_output_as_it_was()
    {
        var first = GeneratorHarness.FaultCoreRun;
        var edited = Edit(first.Input, FreeBsdFaultFile, "vm.Cnt.v_zfod++;", "vm.Cnt.v_zfod += 1;");
        var second = GeneratorHarness.Run(edited, first.Driver);

        Assert.Equal(first.Sources.Select(s => s.HintName), second.Sources.Select(s => s.HintName));
        foreach (var (a, b) in first.Sources.Zip(second.Sources))
        {
            bool freeBsd = a.HintName.StartsWith("FreeBsdFault.", StringComparison.Ordinal);
            if (!freeBsd || a.HintName == "FreeBsdFault.Dispatch.g.cs")
                Assert.Equal(a.SourceText.ToString(), b.SourceText.ToString());
            else
                Assert.Contains("vm.Cnt.v_zfod += 1;", b.SourceText.ToString());
        }
    }

    private const string FreeBsdFaultFile = "src/FaultCore/FreeBsd/Fault/FreeBsdFault.cs";

    /// <summary>What flows between the steps holds no symbol, syntax, location or compilation (which would defeat caching).</summary>
    [Fact]
    public void Pipeline_values_hold_no_compiler_objects()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxToken), typeof(Location), typeof(SemanticModel), typeof(Compilation), typeof(SyntaxTree) };
        var seen = new HashSet<Type>();
        var work = new Stack<Type>([typeof(SpecializationModel), typeof(GeneratedFile), typeof(DiagnosticInfo)]);
        while (work.Count > 0)
        {
            var type = work.Pop();
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum)
                continue;
            Assert.DoesNotContain(forbidden, f => f.IsAssignableFrom(type));
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
                work.Push(argument);
            if (type.Namespace?.StartsWith("FaultLab", StringComparison.Ordinal) != true)
                continue;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                work.Push(property.PropertyType);
        }
        Assert.Contains(typeof(MethodModel), seen);
        Assert.Contains(typeof(LocationInfo), seen);
    }

    /// <summary>The models of two runs over the same sources are equal values.</summary>
    [Fact]
    public void Models_of_equal_sources_are_equal()
    {
        // one model per fault path of the compilation (UvmFault's and FreeBsdFault's)
        var first = Outputs(GeneratorHarness.FaultCoreRun, "Model").Select(o => o.Value).ToList();
        var again = Outputs(GeneratorHarness.FaultCoreRunAgain, "Model").Select(o => o.Value).ToList();
        Assert.Equal(2, first.Count);
        Assert.Equal(first.Count, again.Count);
        foreach (var (a, b) in first.Zip(again))
        {
            Assert.NotSame(a, b);
            Assert.Equal(a, b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }
        Assert.NotEqual(first[0], first[1]);
    }
}
