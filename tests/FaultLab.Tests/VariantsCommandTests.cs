using System.Text.Json;
using FaultLab.Cli;
using FaultLab.Core;

namespace FaultLab.Tests;

[Collection(nameof(Diff.JitChildren))]
public class VariantsCommandTests
{
    [Fact]
    public void The_table_has_a_row_per_declared_variant_with_its_axes_lines_and_methods()
    {
        var output = CliOutput.Run("variants", "--no-native");

        Assert.Equal(0, output.ExitCode);
        Assert.Equal("", output.Stderr);
        var lines = output.Stdout.Split('\n');
        Assert.Matches(@"^variant +wired +advice +cow +lines +methods +il +native$", lines[0]);
        Assert.Matches(@"^-+  -+  -+  -+  -+  -+  -+  -+$", lines[1]);
        Assert.Equal(12, FaultVariants.All.Count);
        foreach (var (v, line) in FaultVariants.All.Zip(lines.Skip(2)))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(
                [v.Name, v.Wired ? "yes" : "no", v.Advice.ToString().ToLowerInvariant(), v.CopyOnWrite ? "yes" : "no",
                 $"{v.GeneratedLines}", $"{v.Methods}", $"{VariantsCommand.IlBytes(v.Name)}", "-"],
                cells);
            Assert.True(v.GeneratedLines > 0 && v.Methods > 0, v.Name);
        }
        Assert.Equal("", lines[2 + FaultVariants.All.Count]);
        Assert.Contains($"\n12 variants, {FaultVariants.All.Sum(v => v.GeneratedLines)} generated lines.\n", output.Stdout);
        Assert.EndsWith("Generic fallback: none; all 12 configurations (wired x advice x cow) have a variant.\n", output.Stdout);
    }

    [Fact]
    public void The_table_columns_line_up()
    {
        var lines = CliOutput.Run("variants", "--no-native").Stdout.Split('\n').Take(2 + FaultVariants.All.Count).ToList();

        // Under each rule of dashes: text starts where the rule starts, numbers end where it ends.
        var rule = lines[1];
        var columns = System.Text.RegularExpressions.Regex.Matches(rule, "-+").Select(m => (Start: m.Index, End: m.Index + m.Length - 1)).ToList();
        Assert.Equal(8, columns.Count);
        foreach (var line in lines.Skip(2))
        {
            Assert.Equal(rule.Length, line.Length);
            foreach (var (start, _) in columns.Take(4)) Assert.True(line[start] != ' ' && (start == 0 || line[start - 1] == ' '), line);
            foreach (var (_, end) in columns.Skip(4)) Assert.True(char.IsAsciiDigit(line[end]) || line[end] == '-', line);
        }
        Assert.All(lines, l => Assert.True(l.Length <= 100, l));
    }

    [Fact]
    public void Json_is_an_array_of_the_declared_variants()
    {
        var output = CliOutput.Run("variants", "--json", "--no-native");

        Assert.Equal(0, output.ExitCode);
        using var doc = JsonDocument.Parse(output.Stdout);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(FaultVariants.All.Count, items.Count);
        foreach (var (v, item) in FaultVariants.All.Zip(items))
        {
            Assert.Equal(["name", "wired", "advice", "cow", "generatedLines", "methods", "ilBytes", "nativeBytes"],
                item.EnumerateObject().Select(p => p.Name));
            Assert.Equal(v.Name, item.GetProperty("name").GetString());
            Assert.Equal(v.Wired, item.GetProperty("wired").GetBoolean());
            Assert.Equal(v.Advice.ToString().ToLowerInvariant(), item.GetProperty("advice").GetString());
            Assert.Equal(v.CopyOnWrite, item.GetProperty("cow").GetBoolean());
            Assert.Equal(v.GeneratedLines, item.GetProperty("generatedLines").GetInt32());
            Assert.Equal(v.Methods, item.GetProperty("methods").GetInt32());
        }
        Assert.Contains("\"name\": \"nowire+normal+cow\"", output.Stdout);
    }

    [Fact]
    public void Configurations_without_a_variant_are_named_as_falling_back_to_the_generic_path()
    {
        var some = FaultVariants.All.Where(v => !(v.Wired && v.Advice == Advice.Random)).ToList();
        var stdout = new StringWriter { NewLine = "\n" };

        VariantsCommand.WriteTable(some, stdout);

        Assert.Empty(VariantsCommand.Fallbacks(FaultVariants.All));
        // In the order of the configurations: the axes' values as Spec declares them (nocow, then cow).
        Assert.Equal(["wired+random+nocow", "wired+random+cow"], VariantsCommand.Fallbacks(some));
        Assert.EndsWith("Generic fallback: 2 of the 12 configurations have no variant and run the generic path: " +
                        "wired+random+nocow, wired+random+cow.\n", stdout.ToString());
    }

    [Fact]
    public void Every_declared_variant_is_one_of_the_configurations()
    {
        Assert.Equal(12, VariantsCommand.Configurations.Count);
        Assert.Equal(VariantsCommand.Configurations.Order(), FaultVariants.All.Select(v => v.Name).Order());
    }

    [Theory]
    [InlineData("variants", "--help")]
    [InlineData("help", "variants")]
    public void Help_explains_the_columns_and_the_json_option(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(0, output.ExitCode);
        Assert.StartsWith("Description:\n  list the specialized variants", output.Stdout);
        Assert.Contains(" variants [options]", output.Stdout);
        Assert.Contains("--json", output.Stdout);
        Assert.Contains("generic path", output.Stdout);
    }

    [Theory]
    [InlineData("--frobnicate")]
    [InlineData("--json=yes")]
    [InlineData("extra")]
    public void Bad_arguments_exit_2_with_a_hint(string arg)
    {
        var output = CliOutput.Run("variants", arg);

        Assert.Equal(2, output.ExitCode);
        Assert.Equal("", output.Stdout);
        Assert.EndsWith("Try 'faultlab variants --help'.\n", output.Stderr);
    }

    [Fact]
    public void Native_code_sizes_come_from_a_child_jit_and_every_variant_is_smaller_than_the_generic_path()
    {
        var output = CliOutput.Run("variants", "--json");
        Assert.True(output.ExitCode == 0, output.Stderr);
        using var doc = JsonDocument.Parse(output.Stdout);
        var sizes = VariantsCommand.CodeSizes(native: false, TextWriter.Null);
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            string name = item.GetProperty("name").GetString()!;
            Assert.Equal(VariantsCommand.IlBytes(name), item.GetProperty("ilBytes").GetInt32());
            Assert.True(item.GetProperty("nativeBytes").GetInt32() > 0, name);
            // Folding only removes code: every variant's IL is smaller than the generic path's same methods.
            Assert.True(item.GetProperty("ilBytes").GetInt32() < sizes[FaultSources.Generic].IlBytes, name);
        }
        var table = CliOutput.Run("variants");
        Assert.Matches(@"The generic path's same methods: \d+ bytes of IL, \d+ bytes of native code\.", table.Stdout);
    }
}
