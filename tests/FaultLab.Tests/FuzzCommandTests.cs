using FaultLab.Cli;

namespace FaultLab.Tests;

public class FuzzCommandTests
{
    static (int Exit, string Out, string Err) Fuzz(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = FuzzCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
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
    public void Usage_errors_exit_2_with_a_message_on_stderr(params string[] args)
    {
        var (exit, stdout, stderr) = Fuzz(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("usage: faultlab fuzz", stderr);
    }

    [Fact]
    public void A_clean_session_prints_the_summary()
    {
        var (exit, stdout, stderr) = Fuzz("--seconds", "30", "--seed", "0x11", "--steps", "50", "--runs", "3");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Matches(@"fuzz: 3 runs, \d+ operations, 0 violations \(seed 17, \d+\.\d s\)", stdout);
    }

    [Fact]
    public void Help_prints_the_usage_and_exits_0()
    {
        var (exit, stdout, stderr) = Fuzz("--help");

        Assert.Equal(0, exit);
        Assert.Contains("usage: faultlab fuzz --seconds N", stdout);
        Assert.Equal("", stderr);
    }
}
