using System.Diagnostics;
using System.Globalization;
using FaultLab.Profiling.Collection;

namespace FaultLab.Profiling.Counting;

/// <summary>What <see cref="InstructionCounter"/> counted: one batch of a workload, exactly.</summary>
/// <param name="Instructions">Instructions one batch executed (the markers' own cost removed).</param>
/// <param name="Faults">Faults the batch resolves; <paramref name="Pages"/> pages it enters.</param>
/// <param name="Methods">Instructions per method (JIT-compiled methods by their perf-map names, with whatever the
/// JIT inlined into them; native code as [module] symbol), most first.</param>
public sealed record InstructionCount(long Instructions, int Faults, int Pages, IReadOnlyList<(string Method, long Instructions)> Methods)
{
    public double PerFault => Faults == 0 ? 0 : (double)Instructions / Faults;
}

/// <summary>
/// Exact instruction counts of a warmed batch, by single-stepping the batch in a child process with ptrace and
/// naming every instruction's method from the runtime's perf map. Hardware counters are not available in this
/// lab's VMs and sampling profilers land at safe points; a count is exact and does not move with the machine's
/// load. Stepping runs about 10^5-10^6 instructions a second, so a batch of a few hundred faults takes a second or so.
/// </summary>
public static class InstructionCounter
{
    /// <summary>Whether counting can work here.</summary>
    public static bool Supported => Ptrace.Supported && File.Exists("/proc/self/maps");

    /// <summary>Starts <paramref name="host"/> (a command that runs <see cref="CountHost.Run"/>), counts one batch.</summary>
    /// <exception cref="InvalidOperationException">The host failed or did not get ready in time; ptrace failed.</exception>
    public static InstructionCount Count(ChildCommand host, TimeSpan timeout, CancellationToken cancellation = default)
    {
        // The host runs as a grandchild, under a shell that waits for it: a child of this process would have its
        // ptrace stops reaped by the runtime's SIGCHLD handling (it waits for every child it started, and a tracee's
        // stops are reported to waitpid), so the tracer's own waitpid would never see them.
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("-c");
        // (an asynchronous command's stdin is /dev/null unless redirected: the pipe is passed on as fd 3)
        info.ArgumentList.Add("exec 3<&0; \"$@\" <&3 3<&- & wait $!");
        info.ArgumentList.Add("faultlab-count");
        info.ArgumentList.Add(host.FileName);
        foreach (var argument in host.Arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in CountHost.Environment)
            info.Environment[name] = value;
        info.Environment[RuntimeFiles.DisableDebugger.Key] = RuntimeFiles.DisableDebugger.Value;
        foreach (var (name, value) in host.Environment)
            info.Environment[name] = value;

        using var child = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {host}");
        var errors = child.StandardError.ReadToEndAsync(cancellation);
        int? hostPid = null;
        try
        {
            var ready = ReadReady(child, timeout, cancellation);
            hostPid = ready.Pid;
            InstructionCount? result = null;
            Exception? failure = null;
            // Every ptrace call of one tracee must come from one thread.
            var tracer = new Thread(() =>
            {
                try
                {
                    result = Trace(child, ready);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }, maxStackSize: 1 << 20) { IsBackground = true, Name = "faultlab count tracer" };
            tracer.Start();
            if (!tracer.Join(timeout))
                throw new InvalidOperationException($"counting took longer than {timeout.TotalSeconds:0} s");
            if (failure is not null)
                throw failure as InvalidOperationException ?? new InvalidOperationException(failure.Message, failure);
            if (!child.WaitForExit(timeout) || child.ExitCode != 0)
                throw new InvalidOperationException($"the counted process did not end well: {Tail(errors)}");
            return result!;
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }
            if (hostPid is { } pid)
            {
                File.Delete(CodeMap.PerfMapPath(pid));
                RuntimeFiles.Remove(pid);
            }
        }
    }

    private sealed record Ready(int Pid, nint Marker, int Faults, int Pages);

    private static Ready ReadReady(Process child, TimeSpan timeout, CancellationToken cancellation)
    {
        var line = child.StandardOutput.ReadLineAsync(cancellation).AsTask();
        while (true)
        {
            if (!line.Wait(timeout, cancellation))
                throw new InvalidOperationException($"the counted process was not ready within {timeout.TotalSeconds:0} s");
            var text = line.Result ?? throw new InvalidOperationException($"the counted process ended before it was ready (exit {(child.WaitForExit(1000) ? child.ExitCode : -1)})");
            if (text.StartsWith(CountHost.ReadyPrefix, StringComparison.Ordinal))
            {
                var fields = text[CountHost.ReadyPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
                return new Ready(int.Parse(fields["pid"], CultureInfo.InvariantCulture),
                    (nint)ulong.Parse(fields["marker"].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    int.Parse(fields["faults"], CultureInfo.InvariantCulture), int.Parse(fields["pages"], CultureInfo.InvariantCulture));
            }
            line = child.StandardOutput.ReadLineAsync(cancellation).AsTask();
        }
    }

    private static InstructionCount Trace(Process child, Ready ready)
    {
        const long Limit = 200_000_000;
        using var trace = Ptrace.Attach(ready.Pid);
        child.StandardInput.WriteLine("go");
        child.StandardInput.Flush();
        trace.RunTo(ready.Marker);
        var markers = new Dictionary<ulong, long>();
        trace.StepUntil(ready.Marker, Limit, rip => Add(markers, rip));
        var batch = new Dictionary<ulong, long>();
        trace.StepUntil(ready.Marker, Limit, rip => Add(batch, rip));
        var map = CodeMap.Read(ready.Pid);
        trace.Dispose(); // the host goes on, says done and ends

        var methods = new Dictionary<string, long>();
        foreach (var (rip, n) in batch)
            methods[map.NameOf(rip)] = methods.GetValueOrDefault(map.NameOf(rip)) + n;
        foreach (var (rip, n) in markers)
            methods[map.NameOf(rip)] = methods.GetValueOrDefault(map.NameOf(rip)) - n;
        var list = methods.Where(m => m.Value != 0).OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => (m.Key, m.Value)).ToList();
        return new InstructionCount(batch.Values.Sum() - markers.Values.Sum(), ready.Faults, ready.Pages, list);
    }

    private static void Add(Dictionary<ulong, long> counts, ulong rip) => counts[rip] = counts.GetValueOrDefault(rip) + 1;

    private static string Tail(Task<string> errors) =>
        errors.Wait(TimeSpan.FromSeconds(2)) && errors.Result.Trim() is { Length: > 0 } text ? text[Math.Max(0, text.Length - 400)..] : "no output";
}
