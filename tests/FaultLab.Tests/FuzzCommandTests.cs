namespace FaultLab.Tests;

public class FuzzCommandTests
{
    static (int Exit, string Out, string Err) Fuzz(params string[] args)
    {
        var output = CliOutput.Run(["fuzz", .. args]);
        return (output.ExitCode, output.Stdout, output.Stderr);
    }

    [Theory]
    [InlineData]
    [InlineData("--seconds")]
    [InlineData("--seconds", "zero")]
    [InlineData("--seconds", "-1")]
    [InlineData("--seconds", "1", "--seed", "-5")]
    [InlineData("--seconds", "1", "--steps", "0")]
    [InlineData("--seconds", "1", "--runs", "x")]
    [InlineData("--seconds", "1", "--frobnicate")]
    [InlineData("--seconds", "1", "--path", "fast")]
    [InlineData("--seconds", "1", "--path")]
    [InlineData("--seconds", "1", "--lockstep", "--path", "generic")]
    public void Usage_errors_exit_2_with_a_message_on_stderr(params string[] args)
    {
        var (exit, stdout, stderr) = Fuzz(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("faultlab: ", stderr);
        Assert.EndsWith("\nTry 'faultlab fuzz --help'.\n", stderr);
        Assert.Equal(2, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_clean_session_prints_the_summary()
    {
        var (exit, stdout, stderr) = Fuzz("--seconds", "30", "--seed", "0x11", "--steps", "50", "--runs", "3");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Matches(@"fuzz: 3 runs, \d+ operations, 0 violations \(seed 17, path specialized, checked, \d+\.\d s\)", stdout);
    }

    [Fact]
    public void Path_picks_the_fault_path_and_the_summary_says_which()
    {
        var (exit, stdout, stderr) = Fuzz("--runs", "1", "--steps", "50", "--path", "monomorphized");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Matches(@"fuzz: 1 runs, \d+ operations, 0 violations \(seed 1, path monomorphized, checked, \d+\.\d s\)", stdout);
    }

    [Fact]
    public void Family_picks_the_machines_family_and_the_summary_says_which()
    {
        var (exit, stdout, stderr) = Fuzz("--runs", "2", "--steps", "100", "--family", "freebsd", "--lockstep");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Matches(@"fuzz: 2 runs, \d+ operations, 0 violations \(seed 1, family freebsd, lockstep, checked, \d+\.\d s\)", stdout);
    }

    [Fact]
    public void Cross_family_runs_each_sequence_on_both_families_and_the_summary_says_so()
    {
        var (exit, stdout, stderr) = Fuzz("--runs", "2", "--steps", "100", "--cross-family", "freebsd");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Matches(@"fuzz: 2 runs, \d+ operations, 0 violations \(seed 1, against freebsd, path specialized, checked, \d+\.\d s\)", stdout);
    }

    [Theory]
    [InlineData("--family", "nope", "unknown family 'nope'; known: netbsd, freebsd")]
    [InlineData("--cross-family", "netbsd", "--cross-family names the family checked; give another one")]
    public void A_bad_family_is_a_usage_error(string option, string value, string message)
    {
        var (exit, _, stderr) = Fuzz("--runs", "1", option, value);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Lockstep_runs_every_path_and_the_summary_says_so()
    {
        var (exit, stdout, stderr) = Fuzz("--runs", "2", "--steps", "100", "--lockstep");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Matches(@"fuzz: 2 runs, \d+ operations, 0 violations \(seed 1, lockstep, checked, \d+\.\d s\)", stdout);
    }

    [Fact]
    public void Help_prints_the_usage_and_exits_0()
    {
        var (exit, stdout, stderr) = Fuzz("--help");

        Assert.Equal(0, exit);
        Assert.Contains(" fuzz [options]", stdout);
        Assert.Contains("--lockstep", stdout);
        Assert.Contains("--path <generic|specialized|monomorphized>", stdout);
        Assert.Equal("", stderr);
    }
}
