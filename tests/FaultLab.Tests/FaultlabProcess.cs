using System.Diagnostics;
using System.Runtime.InteropServices;
using FaultLab.Profiling.Collection;

namespace FaultLab.Tests;

/// <summary>
/// The built faultlab (this build's faultlab.dll under the dotnet host) as a child process, with its own working
/// directory and its own TMPDIR, so a test can see every file it leaves; its output is collected line by line and a
/// test can wait (bounded) for a marker in it, send it a signal, and wait (bounded) for its exit.
/// </summary>
internal sealed class FaultlabProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> stdout = [];
    private readonly List<string> stderr = [];
    private readonly SemaphoreSlim lines = new(0);

    private FaultlabProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public string Stdout
    {
        get { lock (stdout) return string.Join("\n", stdout); }
    }

    public string Stderr
    {
        get { lock (stderr) return string.Join("\n", stderr); }
    }

    /// <summary>GNU env, which can give the child the default disposition of the signals the tests send.</summary>
    private const string Env = "/usr/bin/env";

    public static FaultlabProcess Start(string workingDirectory, string tmpDirectory, params string[] args)
    {
        // A process started with SIGINT ignored (a background job of a non-interactive shell, as a CI runner may
        // start the tests) keeps it ignored, as it should: faultlab honours that, so the child gets the signals'
        // default disposition, as a job in a terminal has. env execs dotnet: the pid stays the child's.
        var reset = File.Exists(Env);
        var info = new ProcessStartInfo(reset ? Env : DotnetHost.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        if (reset)
        {
            info.ArgumentList.Add("--default-signal=HUP,INT,TERM");
            info.ArgumentList.Add(DotnetHost.Path);
        }
        info.ArgumentList.Add(typeof(Cli.Cli).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["TMPDIR"] = tmpDirectory;
        var child = new FaultlabProcess(new Process { StartInfo = info });
        child.process.OutputDataReceived += (_, e) => child.Keep(child.stdout, e.Data);
        child.process.ErrorDataReceived += (_, e) => child.Keep(child.stderr, e.Data);
        child.process.Start();
        child.process.StandardInput.Close();
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        return child;
    }

    private void Keep(List<string> into, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (into)
        {
            into.Add(line);
        }
        lines.Release();
    }

    /// <summary>Waits until stdout or stderr has a line containing <paramref name="marker"/>; false after the
    /// timeout or when the process exited first.</summary>
    public async Task<bool> WaitForLine(string marker, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (Stdout.Contains(marker, StringComparison.Ordinal) || Stderr.Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
            if (process.HasExited && !await lines.WaitAsync(TimeSpan.FromMilliseconds(200)))
            {
                return false;
            }
            await lines.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
        return false;
    }

    public void Signal(PosixSignal signal) =>
        Assert.Equal(0, Kill(process.Id, signal switch
        {
            PosixSignal.SIGHUP => 1,
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal)),
        }));

    /// <summary>The exit code; the process is killed and the test fails if it does not exit in time.</summary>
    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"faultlab did not exit within {timeout.TotalSeconds} s; stdout: {Stdout}; stderr: {Stderr}");
        }
        return process.ExitCode;
    }

    /// <summary>The processes below this one now (children, grandchildren, ...).</summary>
    public IReadOnlyList<int> Descendants() => ProcessTree.Descendants(process.Id);

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
        lines.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public static bool Gone(int pid) => !ProcessTree.IsAlive(pid);
}
