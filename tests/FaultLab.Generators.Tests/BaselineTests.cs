using System.Text;

namespace FaultLab.Generators.Tests;

/// <summary>
/// Snapshot tests: the files of the generator's output a reviewer reads — the dispatchers and the catalog, the
/// monomorphized path and three variants — compared line by line with the baselines checked in under Baselines/
/// (how to refresh them: README.md). The other variants and the sources table are held by structural checks
/// (VariantShapeTests) instead.
/// </summary>
public sealed class BaselineTests
{
    /// <summary>The baselined files: two variants that differ in the copy-on-write axis only, and one that differs from them in all three.</summary>
    public static readonly string[] Baselined =
    [
        GeneratorHarness.DispatchFile,
        GeneratorHarness.MonomorphizedFile,
        "UvmFault.nowire_normal_cow.g.cs",
        "UvmFault.nowire_normal_nocow.g.cs",
        "UvmFault.wired_sequential_cow.g.cs",
    ];

    /// <summary>Set to 1 to make the test overwrite the baselines with the current output (and pass).</summary>
    public const string AcceptVariable = "FAULTLAB_ACCEPT_BASELINES";

    private static string BaselineDir => Path.Combine(RepositoryRoot.Path, "tests", "FaultLab.Generators.Tests", "Baselines");

    /// <summary>Where the actual output is written for diffing: next to the test binaries.</summary>
    private static string ActualDir => Path.Combine(AppContext.BaseDirectory, "Baselines.actual");

    [Fact]
    public void Every_baselined_file_matches_its_baseline()
    {
        var output = GeneratorHarness.FaultCoreRun.Sources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        var generated = output.Where(kv => Baselined.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Assert.Equal(Baselined.Order(StringComparer.Ordinal), generated.Keys.Order(StringComparer.Ordinal));

        // The actual output, always and all of it: a developer diffs Baselines/ against it (and reads the rest).
        if (Directory.Exists(ActualDir))
            Directory.Delete(ActualDir, recursive: true);
        Directory.CreateDirectory(ActualDir);
        foreach (var (hint, text) in output)
            File.WriteAllText(Path.Combine(ActualDir, hint), text, new UTF8Encoding(false));

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Accept(generated);
            return;
        }

        var baselines = Directory.Exists(BaselineDir)
            ? Directory.EnumerateFiles(BaselineDir, "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal)
            : [];
        var problems = new List<string>();
        foreach (var hint in generated.Keys.Where(h => !baselines.ContainsKey(h)).Order(StringComparer.Ordinal))
            problems.Add($"{hint}: generated, but there is no baseline Baselines/{hint}");
        foreach (var hint in baselines.Keys.Where(h => !generated.ContainsKey(h)).Order(StringComparer.Ordinal))
            problems.Add($"{hint}: a baseline, but not of a file the generator makes and the test baselines");
        foreach (var hint in generated.Keys.Where(baselines.ContainsKey).Order(StringComparer.Ordinal))
        {
            if (FirstDifference(baselines[hint], generated[hint]) is { } difference)
                problems.Add($"{hint}: {difference}");
        }

        Assert.True(problems.Count == 0,
            $"The generated files differ from their baselines:\n  {string.Join("\n  ", problems)}\n" +
            $"Actual output: {ActualDir}\n" +
            $"Diff: diff -r {BaselineDir} {ActualDir}\n" +
            $"Accept (when the change is intended): {AcceptVariable}=1 dotnet test tests/FaultLab.Generators.Tests");
    }

    /// <summary>The comparison itself: line endings do not count, and a failure shows the first differing line.</summary>
    [Fact]
    public void Line_comparison_reports_the_first_differing_line()
    {
        Assert.Null(FirstDifference("a\nb\n", "a\r\nb\r\n"));
        Assert.Equal("line 2 differs\n    expected: b\n    actual:   c", FirstDifference("a\nb\nd\n", "a\nc\nd\n"));
        Assert.Equal("line 3 differs\n    expected: d\n    actual:   <end of file>", FirstDifference("a\nb\nd\n", "a\nb\n"));
    }

    /// <summary>Null when the texts have the same lines (ignoring \r), else which line first differs and how.</summary>
    internal static string? FirstDifference(string expected, string actual)
    {
        var e = Lines(expected);
        var a = Lines(actual);
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? el = i < e.Length ? e[i] : null, al = i < a.Length ? a[i] : null;
            if (el != al)
                return $"line {i + 1} differs\n    expected: {el ?? "<end of file>"}\n    actual:   {al ?? "<end of file>"}";
        }
        return null;
    }

    private static string[] Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        // A final newline does not make a line of its own.
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    private static void Accept(Dictionary<string, string> generated)
    {
        Directory.CreateDirectory(BaselineDir);
        foreach (var stale in Directory.EnumerateFiles(BaselineDir, "*.cs").Where(f => !generated.ContainsKey(Path.GetFileName(f))))
            File.Delete(stale);
        foreach (var (hint, text) in generated)
            File.WriteAllText(Path.Combine(BaselineDir, hint), text, new UTF8Encoding(false));
    }
}
