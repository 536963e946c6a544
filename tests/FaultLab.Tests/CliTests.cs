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
        Assert.StartsWith("faultlab: ", output.Stdout);
        Assert.Contains("Usage: faultlab <command> [options]", output.Stdout);
        foreach (var verb in new[] { "run", "scenario", "fuzz", "variants", "diff", "help" })
        {
            Assert.Contains($"\n  {verb} ", output.Stdout);
        }
    }

    [Theory]
    [InlineData("scenario", "--help")]
    [InlineData("help", "scenario")]
    public void Scenario_help_explains_options_and_exit_codes(params string[] args)
    {
        var output = CliOutput.Run(args);

        Assert.Equal(0, output.ExitCode);
        Assert.StartsWith("Usage: faultlab scenario FILE|DIR... [--path PATH] [--json]", output.Stdout);
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
        Assert.StartsWith("Usage: faultlab run", output.Stdout);
        Assert.Contains("--scenarios DIR", output.Stdout);
    }

    [Fact]
    public void Fuzz_help_comes_from_the_fuzz_command()
    {
        var output = CliOutput.Run("help", "fuzz");

        Assert.Equal(0, output.ExitCode);
        Assert.Contains("faultlab fuzz", output.Stdout);
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
        Assert.Contains("Usage: faultlab", output.Stderr);
    }

    [Theory]
    [InlineData("frobnicate", "faultlab: unknown command 'frobnicate'")]
    [InlineData("--frobnicate", "faultlab: unknown option '--frobnicate'")]
    [InlineData("help me", "faultlab: no help for 'me'; commands: run, scenario, fuzz, bench, compare, flame, trace, variants, diff, help")]
    public void Unknown_command_exits_2_with_a_hint(string args, string message)
    {
        var output = CliOutput.Run(args.Split(' '));

        Assert.Equal(2, output.ExitCode);
        Assert.Equal($"{message}\nTry 'faultlab --help'.\n", output.Stderr);
    }

    [Fact]
    public void Help_help_lists_every_verb()
    {
        var output = CliOutput.Run("help", "help");

        Assert.Equal(0, output.ExitCode);
        Assert.StartsWith("Usage: faultlab help [COMMAND]", output.Stdout);
        Assert.Contains("Commands: run, scenario, fuzz, bench, compare, flame, trace, variants, diff, help.", output.Stdout);
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
        Assert.Contains("faultlab " + verb, help.Stdout);
    }

    public static TheoryData<string> Verbs => [.. Cli.HelpText.Commands];

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
