using System.Runtime.InteropServices;

namespace FaultLab.Cli;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP, handled the same way by every verb. The first of them cancels <see cref="Token"/>:
/// the verb stops its work, ends its child processes and removes every temporary file, socket and generated
/// project it made, and <see cref="Cli.Run"/> prints what was kept (<see cref="Kept"/>) and exits
/// <see cref="ExitCode"/>: 128 + the signal's number (130, 143, 129), as a shell reports a process the signal
/// killed. A second signal is not held back: the runtime's default ends the process at once.
/// </summary>
public sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private int signal;

    /// <summary>An interrupt that only <see cref="Request"/> fires (in-process callers and tests).</summary>
    public Interrupt()
    {
    }

    /// <summary>The process's own interrupt: listens for SIGINT, SIGTERM and SIGHUP from now on.</summary>
    public static Interrupt OnSignals()
    {
        var interrupt = new Interrupt();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            interrupt.registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // The first signal is ours to handle; a second one gets the default (the process ends now).
                context.Cancel = !interrupt.Requested;
                interrupt.Request(context.Signal);
            }));
        }
        return interrupt;
    }

    public CancellationToken Token => source.Token;

    public bool Requested => Volatile.Read(ref signal) != 0;

    /// <summary>128 + the number of the signal that came (0 when none did).</summary>
    public int ExitCode => Requested ? 128 + Volatile.Read(ref signal) : 0;

    /// <summary>The signal's name, SIGINT, SIGTERM or SIGHUP.</summary>
    public string SignalName => Volatile.Read(ref signal) switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        15 => "SIGTERM",
        var n => $"signal {n}",
    };

    /// <summary>What the verb keeps if it is interrupted now, said after "interrupted by SIGNAL;": the verb updates
    /// it as its work goes on.</summary>
    public string Kept { get; set; } = "nothing was written";

    /// <summary>Fires the interrupt as <paramref name="posixSignal"/> would (the first call counts).</summary>
    public void Request(PosixSignal posixSignal)
    {
        Interlocked.CompareExchange(ref signal, Number(posixSignal), 0);
        source.Cancel();
    }

    public void ThrowIfRequested() => source.Token.ThrowIfCancellationRequested();

    private static int Number(PosixSignal posixSignal) => posixSignal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGTERM => 15,
        PosixSignal.SIGQUIT => 3,
        _ => (int)posixSignal > 0 ? (int)posixSignal : 15,
    };

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }
        source.Dispose();
    }
}
