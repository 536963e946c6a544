using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FaultLab.Generators.Tests;

/// <summary>Generated variants compiled and run: each gives what the generic path gives, for the inputs it is picked for.</summary>
public sealed class ExecutionTests
{
    /// <summary>
    /// The goto probe: a forward goto over an early return, as the FreeBSD handler is written. Folded, each variant
    /// must keep the label its goto jumps to (or drop both), compile and behave as the generic path.
    /// </summary>
    private const string GotoProbe = """
            [FaultPathEntry]
            private static Errno Pass(int x)
            {
                if (Spec.Wired(x > 0))
                    goto Done;
                return Errno.EFAULT;
            Done:
                return Step(x);
            }

            private static Errno Step(int x) => Spec.CopyOnWrite(x > 1) ? Errno.OK : Errno.ERESTART;
        """;

    [Fact]
    public void The_goto_probe_folds_compiles_and_runs_as_the_generic_path()
    {
        var run = Synthetic.Run(Synthetic.Fault(
            Synthetic.Variants("wired+normal+cow", "wired+normal+nocow", "nowire+normal+cow", "nowire+normal+nocow"),
            Synthetic.Dispatcher + "\n\n" + GotoProbe));
        Assert.Empty(run.Generator.Diagnostics);

        // The wired variants jump to the label right after them: goto and label are gone. The others never jump.
        foreach (var variant in new[] { "wired_normal_cow", "wired_normal_nocow", "nowire_normal_cow", "nowire_normal_nocow" })
        {
            var pass = run.Sources.Single(s => s.HintName == $"Fault.{variant}.g.cs").SyntaxTree.GetRoot()
                .DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Pass");
            Assert.Empty(pass.DescendantNodes().OfType<GotoStatementSyntax>());
            Assert.Empty(pass.DescendantNodes().OfType<LabeledStatementSyntax>());
            Assert.Single(pass.Body!.Statements);
        }

        using var execution = new Execution(run);
        for (int x = -2; x <= 4; x++)
        {
            // Run dispatches on (x > 0, Normal, x > 1): the variant of the configuration the facade calls would read.
            var specialized = execution.Call("FaultLab.Core.Fault", "Run", x);
            var generic = execution.Call("FaultLab.Core.Fault", "Pass", x);
            Assert.Equal(generic, specialized);
        }
        Assert.Equal("EFAULT", execution.Call("FaultLab.Core.Fault", "Run", 0)!.ToString());
        Assert.Equal("ERESTART", execution.Call("FaultLab.Core.Fault", "Run", 1)!.ToString());
        Assert.Equal("OK", execution.Call("FaultLab.Core.Fault", "Run", 2)!.ToString());
    }
}
