using System.Diagnostics;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace FaultLab.Profiling.Collection;

/// <summary>
/// Records an EventPipe trace of a child process from its very first instruction. The collector listens on a Unix
/// socket, starts the child with <c>DOTNET_DiagnosticPorts=&lt;socket&gt;,suspend,connect</c> (its runtime connects
/// to the socket and waits before running managed code), starts the session, resumes the runtime, records for the
/// duration, stops the session and drains the stream (the rundown, which names the methods, comes last).
///
/// Every wait is bounded and also ends when the child exits; whatever happens (an error, a timeout, a cancellation)
/// the child is killed and the socket removed before this returns or throws. A child that exits before the end of
/// the recording is an error (<see cref="CollectionException"/>): a profile of a program that stopped is not one of
/// the workload.
/// </summary>
public static class EventPipeCollector
{
    private static readonly TimeSpan ReapWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CleanupWait = TimeSpan.FromSeconds(2);

    /// <summary>How long a runtime that dropped its connection gets to finish exiting, so that the error can say it
    /// exited (and how) rather than that a stream ended. Shutting down takes a moment, longer on a busy machine.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(10);

    public static async Task<CollectionResult> CollectAsync(CollectionOptions options, CancellationToken cancellation = default)
    {
        var socket = Path.Combine(options.SocketDirectory,
            string.Create(CultureInfo.InvariantCulture, $"faultlab-{Environment.ProcessId}-{Random.Shared.Next():x8}.sock"));
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ChildProcess? child = null;
        Task<DiagnosticsClientConnector>? connecting = null;
        DiagnosticsClientConnector? connector = null;
        EventPipeSession? session = null;
        FileStream? trace = null;
        Task? copying = null;
        var stopped = false;
        try
        {
            // The socket is bound before this returns, so the child cannot connect too early.
            connecting = DiagnosticsClientConnector.FromDiagnosticPort(socket + ",listen", abandon.Token);
            if (connecting.IsFaulted)
            {
                throw new CollectionException($"could not listen on {socket}: {connecting.Exception!.InnerException!.Message}");
            }
            options.Progress?.Invoke("starting the child");
            child = ChildProcess.Start(options.Child, socket);
            options.ChildStarted?.Invoke(child.Id);

            options.Progress?.Invoke("waiting for the child's runtime to connect");
            connector = await Step(connecting, child, options.ConnectTimeout, "connect to the diagnostic port", cancellation)
                ?? throw new OperationCanceledException(cancellation);
            var client = connector.Instance;

            var configuration = new EventPipeSessionConfiguration(
                Providers.Merge(options.Providers, options.ExtraProviders), options.BufferSizeMB,
                requestRundown: options.RequestRundown, requestStackwalk: true);
            session = await Step(client.StartEventPipeSessionAsync(configuration, abandon.Token), child,
                options.CommandTimeout, "start the EventPipe session", cancellation);
            trace = new FileStream(options.TracePath, FileMode.Create, FileAccess.Write, FileShare.Read);
            copying = session.EventStream.CopyToAsync(trace, abandon.Token);

            // ResumeRuntime has no public async form; its wait for the runtime's connection is bounded by the library.
            await Step(Completed(Task.Run(client.ResumeRuntime, abandon.Token)), child, options.CommandTimeout,
                "resume the runtime", cancellation);
            options.Progress?.Invoke("recording");
            var clock = Stopwatch.StartNew();
            var recording = Task.Delay(options.Duration, cancellation);
            var first = await Task.WhenAny(recording, child.Exited, copying);
            if (first == child.Exited)
            {
                throw ChildExited(child, $"after {Seconds(clock.Elapsed)} of the {Seconds(options.Duration)} recording");
            }
            if (first == copying)
            {
                // The stream ends when the child exits, a moment before its exit is seen: give it that moment.
                await Task.WhenAny(child.Exited, Task.Delay(ExitGrace, cancellation));
                if (child.Exited.IsCompleted)
                {
                    throw ChildExited(child, $"after {Seconds(clock.Elapsed)} of the {Seconds(options.Duration)} recording");
                }
                await Step(Completed(copying), null, CleanupWait, "read the trace stream", cancellation);
                throw new CollectionException(
                    $"the trace stream ended after {Seconds(clock.Elapsed)} of the {Seconds(options.Duration)} recording");
            }
            await recording;
            var recorded = clock.Elapsed;

            options.Progress?.Invoke("stopping the session");
            stopped = true;
            await Step(Completed(session.StopAsync(abandon.Token)), child, options.CommandTimeout, "stop the session", cancellation);
            await Step(Completed(copying), null, options.DrainTimeout, "receive the end of the trace (the rundown)", cancellation);
            await trace.FlushAsync(cancellation);
            return new CollectionResult(options.TracePath, trace.Length, recorded, child.Id);
        }
        finally
        {
            abandon.Cancel();
            child?.Kill(ReapWait);
            if (session is not null)
            {
                if (!stopped)
                {
                    // Marks the session stopped, so that Dispose does not block sending a stop to a dead runtime.
                    await Quietly(session.StopAsync(new CancellationTokenSource(CleanupWait).Token), CleanupWait);
                }
                session.Dispose();
            }
            if (copying is not null)
            {
                await Quietly(copying, CleanupWait);
            }
            trace?.Dispose();
            if (connector is not null)
            {
                await Quietly(connector.DisposeAsync().AsTask(), CleanupWait);
            }
            else if (connecting is not null)
            {
                // Abandoned: a connection that still arrives is closed (and its server with it).
                _ = connecting.ContinueWith(t => t.Result.DisposeAsync().AsTask(),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                await Quietly(connecting, CleanupWait);
            }
            TryDelete(socket);
            child?.Dispose();
        }
    }

    /// <summary>Waits for <paramref name="task"/>, but no longer than <paramref name="timeout"/> and no longer than the
    /// child lives.</summary>
    private static async Task<T> Step<T>(Task<T> task, ChildProcess? child, TimeSpan timeout, string what, CancellationToken cancellation)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var delay = Task.Delay(timeout, timer.Token);
        var first = child is null
            ? await Task.WhenAny(task, delay)
            : await Task.WhenAny(task, child.Exited, delay);
        timer.Cancel();
        if (task.IsCompleted)
        {
            try
            {
                return await task;
            }
            catch (Exception e) when (e is not (OperationCanceledException or CollectionException))
            {
                // A command fails when the runtime goes away under it: say so if that is what happened.
                if (child is not null && await Task.WhenAny(child.Exited, Task.Delay(ExitGrace, cancellation)) == child.Exited)
                {
                    throw ChildExited(child, $"before it could {what}");
                }
                cancellation.ThrowIfCancellationRequested();
                throw new CollectionException($"could not {what}: {e.Message}", e);
            }
        }
        Observe(task);
        cancellation.ThrowIfCancellationRequested();
        if (child is not null && first == child.Exited)
        {
            throw ChildExited(child, $"before it could {what}");
        }
        throw new CollectionException($"timed out after {Seconds(timeout)} waiting to {what}" +
            (child?.Output is { Length: > 0 } output ? $"; the child said: {output}" : ""));
    }

    private static async Task<bool> Completed(Task task)
    {
        await task;
        return true;
    }

    private static CollectionException ChildExited(ChildProcess child, string when)
    {
        var output = child.Output;
        return new CollectionException(
            $"the traced process exited (code {child.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}) {when}" +
            (output.Length > 0 ? $": {output}" : ""));
    }

    private static async Task Quietly(Task task, TimeSpan timeout)
    {
        Observe(task);
        await Task.WhenAny(task, Task.Delay(timeout));
    }

    private static void Observe(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Seconds(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.#} s");
}
