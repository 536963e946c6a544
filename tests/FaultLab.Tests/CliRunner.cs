
namespace FaultLab.Tests;

/// <summary>Runs <c>faultlab</c> in-process and keeps what it printed.</summary>
internal sealed record CliOutput(int ExitCode, string Stdout, string Stderr)
{
    public static CliOutput Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = Cli.Cli.Run(args, stdout, stderr);
        return new CliOutput(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A scratch directory of scenario files, deleted after the test.</summary>
internal sealed class TempScenarios : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("faultlab-").FullName;

    public string Add(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

internal static class Scenarios
{
    public const string Passing = """
        machine pages=64
        proc p1
        p1 mmap 0x10000 2 rw anon private
        p1 write 0x10000 0x41 => 2B restarts=1
        expect value p1 0x10000 0x41
        """;

    public const string Failing = """
        proc p1
        p1 read 0x5000
        """;

    public const string Malformed = """
        proc p1
        p2 read 0x5000
        """;
}
