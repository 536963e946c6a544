using System.Text.Json;

namespace FaultLab.Tests;

/// <summary>
/// What bad scenario input gets: one failing file never stops the others (and --json still covers every file), and
/// errors quote a bounded, escaped excerpt of the input, at most 20 of them per file.
/// </summary>
public sealed class InputBoundsTests : IDisposable
{
    private readonly TempScenarios dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Mixed_good_and_bad_files_all_run_and_the_json_covers_every_file()
    {
        var good = dir.Add("1-good.flt", Scenarios.Passing);
        var tooBig = dir.Add("2-too-big.flt", "machine pages=524288\nproc p1\n");
        var fileTooBig = dir.Add("3-file-too-big.flt", "file f pages=524288\n");
        var missing = Path.Combine(dir.Directory, "4-missing.flt");
        var failing = dir.Add("5-failing.flt", Scenarios.Failing);

        var output = CliOutput.Run("scenario", good, tooBig, fileTooBig, missing, failing, "--json");

        Assert.Equal(2, output.ExitCode); // the worst: a file could not be parsed
        var files = JsonDocument.Parse(output.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal([good, tooBig, fileTooBig, missing, failing], files.Select(f => f.GetProperty("file").GetString()));
        Assert.Equal([0, 1, 1, 1, 0], files.Select(f => f.GetProperty("errors").GetArrayLength()));
        Assert.Equal([5, 0, 0, 0, 2], files.Select(f => f.GetProperty("statements").GetArrayLength()));
        Assert.Equal(1, files[4].GetProperty("failed").GetInt32());
        Assert.Contains($"{tooBig}:1:9: a page count must be at most 262144 (1 GiB of frames); 524288 would need 2 GiB", output.Stderr);
        Assert.Contains($"{fileTooBig}:1:8: a page count must be at most 262144 (1 GiB of disk); 524288 would need 2 GiB", output.Stderr);
        Assert.DoesNotContain("internal error", output.Stderr);
    }

    [Fact]
    public void A_ten_megabyte_line_gives_a_short_error()
    {
        var file = dir.Add("long.flt", "proc p1\np1 " + new string('x', 10 << 20) + "\n");

        var output = CliOutput.Run("scenario", file);

        Assert.Equal(2, output.ExitCode);
        var line = Assert.Single(output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{file}:2:4: unknown operation 'xxxx", line);
        Assert.Contains("…'", line);
        Assert.True(line.Length < file.Length + 300, $"{line.Length} characters");
    }

    [Fact]
    public void Binary_input_is_escaped_and_its_errors_capped()
    {
        var random = new Random(42);
        var bytes = new byte[64 << 10];
        random.NextBytes(bytes);
        var escape = "\u001b[2J\u001b[31mred\u0007\n"u8.ToArray();
        var file = dir.Add("binary.flt", "");
        File.WriteAllBytes(file, [.. escape, .. bytes]);

        var output = CliOutput.Run("scenario", file);

        Assert.Equal(2, output.ExitCode);
        var lines = output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(21, lines.Length);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(file)}: … and \d+ more errors$", lines[^1]);
        Assert.StartsWith($@"{file}:1:1: unknown statement '\x1b[2J\x1b[31mred\x07'", lines[0]);
        Assert.All(output.Stderr, c => Assert.True(c == '\n' || c == '…' || (c >= ' ' && c < '\x7f'), $"character U+{(int)c:X4} in the errors"));
        Assert.All(lines, l => Assert.True(l.Length < file.Length + 300, l));
    }

    [Fact]
    public void At_most_twenty_errors_per_file_then_how_many_more()
    {
        var file = dir.Add("many.flt", string.Concat(Enumerable.Repeat("bogus\n", 1000)));
        var other = dir.Add("other.flt", "also bogus\n");

        var output = CliOutput.Run("scenario", file, other, "--json");

        var stderr = output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(22, stderr.Length);
        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"{file}:{n}:1: unknown statement 'bogus'"), stderr[..20]);
        Assert.Equal($"{file}: … and 980 more errors", stderr[20]);
        Assert.Equal($"{other}:1:1: unknown statement 'also'", stderr[21]);
        var errors = JsonDocument.Parse(output.Stdout).RootElement[0].GetProperty("errors");
        Assert.Equal(21, errors.GetArrayLength());
    }

    [Fact]
    public void A_file_far_too_large_is_refused_unread()
    {
        var file = dir.Add("huge.flt", "");
        using (var stream = File.OpenWrite(file))
        {
            stream.SetLength(Workloads.Scenarios.ScenarioFiles.MaxFileBytes + 1); // sparse: costs no disk
        }

        var output = CliOutput.Run("scenario", file);

        Assert.Equal(2, output.ExitCode);
        Assert.Equal($"{file}: too large to be a scenario ({Workloads.Scenarios.ScenarioFiles.MaxFileBytes + 1} bytes; at most 16 MiB)\n", output.Stderr);
    }

    [Fact]
    public void Command_line_arguments_are_quoted_escaped_and_bounded_too()
    {
        var output = CliOutput.Run("bench", "--quick", "--filter", "wire\u001b[31m" + new string('w', 500));

        Assert.Equal(2, output.ExitCode);
        Assert.Contains(@"unknown workload 'wire\x1b[31mwww", output.Stderr);
        Assert.DoesNotContain('\u001b', output.Stderr);
        Assert.True(output.Stderr.Length < 400, output.Stderr);
    }
}
