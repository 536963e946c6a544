using FaultLab.Cli.Diff;

namespace FaultLab.Tests.Diff;

/// <summary><c>faultlab diff</c>: source and native-code diffs of two fault paths, and its errors.</summary>
[Collection(nameof(JitChildren))]
public class DiffCommandTests
{
    [Fact]
    public void Unknown_variant_exits_2_and_lists_the_valid_names()
    {
        var output = CliOutput.Run("diff", "generic", "wired+fast+cow");
        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith("faultlab: unknown variant 'wired+fast+cow'; valid names: generic, nowire+normal+cow,", output.Stderr);
        Assert.Contains("wired+sequential+nocow", output.Stderr);
        Assert.Equal("", output.Stdout);
    }

    [Theory]
    [InlineData("generic")]
    [InlineData("generic", "a", "b")]
    public void Diff_needs_exactly_two_paths(params string[] operands)
    {
        var output = CliOutput.Run(["diff", .. operands]);
        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith("faultlab: ", output.Stderr);
        Assert.EndsWith("\nTry 'faultlab diff --help'.\n", output.Stderr);
    }

    [Fact]
    public void Generic_against_a_variant_shows_the_folded_branches_as_removed()
    {
        var output = CliOutput.Run("diff", "generic", "wired+sequential+cow");
        Assert.Equal(0, output.ExitCode);
        var lines = output.Stdout.Split('\n');
        Assert.Matches(@"^# source of generic and wired\+sequential\+cow: \d+ methods, \d+ differ, \d+ lines removed, \d+ added$", lines[0]);
        Assert.Contains("--- generic/FaultCheck", lines);
        Assert.Contains("+++ wired+sequential+cow/FaultCheck", lines);
        Assert.Contains("-    if (Spec.Wired(entry.IsWired || flt.WireMapping))", lines);
        Assert.Contains("+internal static Prot Mask(in VmMapEntry entry) => Prot.Read;", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith('+') && l.Contains("Spec."));
        Assert.DoesNotContain("\u001b[", output.Stdout);
    }

    [Fact]
    public void Two_variants_differ_only_where_their_axes_differ()
    {
        var output = CliOutput.Run("diff", "nowire+normal+cow", "nowire+normal+nocow");
        Assert.Equal(0, output.ExitCode);
        Assert.Contains("--- nowire+normal+cow/Mask", output.Stdout);
        Assert.DoesNotContain("--- nowire+normal+cow/FaultCheck", output.Stdout); // no copy-on-write read in it
        Assert.DoesNotContain("--- nowire+normal+cow/UpperDone", output.Stdout);
    }

    [Fact]
    public void A_path_against_itself_has_no_hunks()
    {
        var output = CliOutput.Run("diff", "wired+random+cow", "wired+random+cow");
        Assert.Equal(0, output.ExitCode);
        Assert.Contains(" 0 differ, 0 lines removed, 0 added", output.Stdout);
        Assert.DoesNotContain("@@", output.Stdout);
    }

    [Fact]
    public void Color_always_paints_and_a_bad_color_value_exits_2()
    {
        var colored = CliOutput.Run("diff", "generic", "nowire+random+nocow", "--color", "always");
        Assert.Contains("\u001b[31m-", colored.Stdout);
        var bad = CliOutput.Run("diff", "generic", "nowire+random+nocow", "--color", "sometimes");
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public void An_interrupted_asm_diff_kills_its_jit_child_and_removes_its_listing()
    {
        using var interrupt = new Cli.Interrupt();
        interrupt.Request(System.Runtime.InteropServices.PosixSignal.SIGTERM);
        var stderr = new StringWriter();

        var code = Cli.Cli.Run(["diff", "generic", "wired+sequential+cow", "--asm"], new StringWriter(), stderr, interrupt);

        Assert.Equal(143, code);
        Assert.Equal("faultlab: diff: interrupted by SIGTERM; nothing was written", stderr.ToString().TrimEnd());
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"faultlab-jit-{Environment.ProcessId}-*"));
        Assert.DoesNotContain(Profiling.Collection.ProcessTree.Descendants(Environment.ProcessId), pid =>
            File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains(JitCollector.HostVerb, StringComparison.Ordinal));
    }

    [Fact]
    public void Asm_diff_lists_every_method_with_its_code_size_from_a_child_jit()
    {
        var output = CliOutput.Run("diff", "generic", "wired+sequential+cow", "--asm");
        Assert.True(output.ExitCode == 0, output.Stderr);
        var lines = output.Stdout.Split('\n');
        Assert.StartsWith("# native code of generic and wired+sequential+cow", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^# FaultCheck\s+\d+\s+\d+\s+\d+\s+\d+\s+[+-]?\d+$"));
        Assert.Contains(lines, l => l.StartsWith("# total"));
        Assert.Contains(lines, l => l.StartsWith("--- generic/FaultCheck("));
        Assert.DoesNotContain(lines, l => l.Contains("G_M0") || l.Contains("offset=0x"));
    }
}

/// <summary>The tests that start a JIT listing child: one at a time, so that each sees only its own listing file.</summary>
[CollectionDefinition(nameof(JitChildren))]
public sealed class JitChildren;
