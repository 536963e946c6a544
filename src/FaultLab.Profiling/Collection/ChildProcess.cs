using System.Diagnostics;

namespace FaultLab.Profiling.Collection;

/// <summary>
/// The traced process: started suspended on a diagnostic port, its output kept (the last lines, for error
/// messages), its exit observable as a task, and killed with everything it started when the collector is done.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 20;
    private readonly Process process;
    private readonly Queue<string> lastLines = new();

    private ChildProcess(Process process) => this.process = process;

    public int Id => process.Id;

    /// <summary>Completes when the process has exited (and its output has been read to the end).</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>The last lines the process wrote (stderr and stdout interleaved), joined with " | ".</summary>
    public string Output
    {
        get
        {
            lock (lastLines)
            {
                return string.Join(" | ", lastLines);
            }
        }
    }

    /// <summary>Starts <paramref name="command"/> with its runtime told to connect to <paramref name="socket"/> and to
    /// wait there, before running any managed code, until it is resumed.</summary>
    public static ChildProcess Start(ChildCommand command, string socket)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOTNET_DiagnosticPorts"] = $"{socket},suspend,connect";
        // The child is killed when the recording is over; without the debugger's pipes it leaves less behind.
        info.Environment[RuntimeFiles.DisableDebugger.Key] = RuntimeFiles.DisableDebugger.Value;
        foreach (var (name, value) in command.Environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        child.Exited = process.WaitForExitAsync();
        return child;
    }

    private void Keep(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }
        lock (lastLines)
        {
            lastLines.Enqueue(line.Trim());
            while (lastLines.Count > KeptLines)
            {
                lastLines.Dequeue();
            }
        }
    }

    /// <summary>Kills the process tree unless it is gone already, waits (a little) for it to be reaped, and removes
    /// the runtime's own diagnostic socket and pipes, which a killed runtime leaves behind.</summary>
    public void Kill(TimeSpan wait)
    {
        var id = process.Id;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the kill
        }
        if (process.WaitForExit(wait))
        {
            RuntimeFiles.Remove(id);
        }
    }

    public void Dispose() => process.Dispose();
}
