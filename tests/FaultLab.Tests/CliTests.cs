namespace FaultLab.Tests;

public class CliTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Tool_help_lists_the_commands(string arg)
    {
        var output = CliOutput.Run(arg);

        Assert.Equal(0, output.ExitCode);
        Assert.StartsWith("Description:\n  faultlab: ", output.Stdout);
        Assert.Contains("[command] [options]", output.Stdout);
        foreach (var verb in VerbNames)
        {
            Assert.Contains($"\n  {verb} ", output.Stdout);
        }
        Assert.Contains("Exit status: 0 all good", output.Stdout);
    }

    [Theory]
    [InlineData("scenario", "--help")]
    [InlineData("help", "scenario")]
    public void Scenario_help_explains_options_and_exit_codes(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(0, output.ExitCode);
        Assert.StartsWith("Description:\n  run scenario files (.flt) and print their transcripts\n", output.Stdout);
        Assert.Contains(" scenario <FILE|DIR>... [options]", output.Stdout);
        Assert.Contains("--json", output.Stdout);
        Assert.Contains("Exit status: 0", output.Stdout);
    }

    [Theory]
    [InlineData("run", "--help")]
    [InlineData("help", "run")]
    public void Run_help_explains_options(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(0, output.ExitCode);
        Assert.Contains(" run [options]", output.Stdout);
        Assert.Contains("--scenarios <DIR>", output.Stdout);
    }

    [Fact]
    public void Version_prints_the_tool_name_and_version()
    {
        var output = CliOutput.Run("--version");

        Assert.Equal(0, output.ExitCode);
        Assert.Matches(@"^faultlab \d+\.\d+\.\d+", output.Stdout);
    }

    [Fact]
    public void No_arguments_shows_the_help_on_stderr_and_exits_2()
    {
        var output = CliOutput.Run();

        Assert.Equal(2, output.ExitCode);
        Assert.Contains("Usage:", output.Stderr);
        Assert.Equal("", output.Stdout);
    }

    [Theory]
    [InlineData("frobnicate", "faultlab: Unrecognized command or argument 'frobnicate'.")]
    [InlineData("--frobnicate", "faultlab: Unrecognized command or argument '--frobnicate'.")]
    [InlineData("help me", "faultlab: no help for 'me'; commands: run, scenario, fuzz, bench, workloads, compare, flame, trace, count, variants, diff, help")]
    public void Unknown_command_exits_2_with_a_hint(string args, string message)
    {
        var output = CliOutput.Run(args.Split(' '));

        Assert.Equal(2, output.ExitCode);
        Assert.Equal($"{message}\nTry 'faultlab --help'.\n", output.Stderr);
    }

    [Theory]
    [InlineData("scenario --frobnicate x.flt", "faultlab: unknown option '--frobnicate'")]
    [InlineData("bench --rounds 0 --quick", "faultlab: option '--rounds' needs a whole number from 1 to 10000, got '0'")]
    [InlineData("trace --seconds 3601 --workload wire", "faultlab: option '--seconds' needs a whole number from 1 to 3600, got '3601'")]
    [InlineData("fuzz --runs 1 --path fast", "faultlab: unknown path 'fast'; known: generic, specialized, monomorphized")]
    [InlineData("diff generic", "faultlab: Required argument missing for command: 'diff'.")]
    public void A_verbs_parse_error_is_one_line_and_a_pointer_to_its_help(string args, string message)
    {
        var output = CliOutput.Run(args.Split(' '));

        Assert.Equal(2, output.ExitCode);
        var verb = args.Split(' ')[0];
        Assert.Equal($"{message}\nTry 'faultlab {verb} --help'.\n", output.Stderr);
        Assert.Equal("", output.Stdout);
    }

    [Fact]
    public void A_parse_error_quotes_what_was_typed_escaped_and_bounded()
    {
        var output = CliOutput.Run("frob\u001b[31m" + new string('x', 2000));

        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith(@"faultlab: Unrecognized command or argument 'frob\x1b[31mxxx", output.Stderr);
        Assert.DoesNotContain('\u001b', output.Stderr);
        Assert.True(output.Stderr.Length < 500, output.Stderr);
    }

    [Fact]
    public void Help_help_lists_every_verb()
    {
        var output = CliOutput.Run("help", "help");

        Assert.Equal(0, output.ExitCode);
        Assert.Contains(" help [<COMMAND>] [options]", output.Stdout);
        Assert.Contains("Shows the tool's help", output.Stdout);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Every_verb_is_in_the_tool_help_and_has_its_own(string verb)
    {
        var tool = CliOutput.Run("--help");
        var help = CliOutput.Run("help", verb);
        var own = CliOutput.Run(verb, "--help");

        Assert.Contains($"\n  {verb} ", tool.Stdout);
        Assert.Equal(0, help.ExitCode);
        Assert.Equal(0, own.ExitCode);
        Assert.Equal(own.Stdout, help.Stdout);
        Assert.Contains($" {verb} ", help.Stdout);
        Assert.Contains("Exit status:", help.Stdout);
        Assert.Contains("-h, --help", help.Stdout);
    }

    private static readonly string[] VerbNames =
        ["run", "scenario", "fuzz", "bench", "workloads", "compare", "flame", "trace", "variants", "diff", "help"];

    public static TheoryData<string> Verbs => [.. VerbNames];

    [Fact]
    public void A_response_file_holds_arguments()
    {
        using var dir = new TempScenarios();
        var file = dir.Add("ok.flt", Scenarios.Passing);
        var rsp = dir.Add("args.rsp", $"scenario\n{file}\n--path\ngeneric\n");

        var output = CliOutput.Run("@" + rsp);

        Assert.Equal(0, output.ExitCode);
        Assert.Contains($"{file}: 5 statements, 0 failed", output.Stdout);
    }

    [Fact]
    public void Completions_come_from_system_commandline()
    {
        var output = CliOutput.Run("[suggest:15]", "fuzz --path mon");

        Assert.Equal(0, output.ExitCode);
        Assert.Equal("monomorphized\n", output.Stdout);
    }

    [Fact]
    public void An_unexpected_exception_is_one_line_and_exit_70()
    {
        var stderr = new StringWriter();

        var code = Cli.Cli.Run(["--version"], new BrokenWriter(), stderr);

        Assert.Equal(70, code);
        Assert.Equal("faultlab: internal error: IOException: disk on fire", stderr.ToString().TrimEnd());
    }

    /// <summary>Stands for a stdout that fails (a closed pipe): the kind of thing no command expects.</summary>
    private sealed class BrokenWriter : StringWriter
    {
        public override void WriteLine(string? value) => throw new IOException("disk\non fire");
    }
}
