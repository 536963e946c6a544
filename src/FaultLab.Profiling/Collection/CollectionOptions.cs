using Microsoft.Diagnostics.NETCore.Client;

namespace FaultLab.Profiling.Collection;

/// <summary>The program to trace: started by the collector, with the diagnostic port added to its environment.</summary>
/// <param name="FileName">The executable (for the lab: the <c>dotnet</c> host).</param>
/// <param name="Arguments">Its arguments (for the lab: <c>faultlab.dll workload-host ...</c>).</param>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Extra environment variables, applied after the collector's own (so a test can override the port).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));
}

/// <summary>What to trace, for how long, with which providers, and how long each step may take.</summary>
public sealed record CollectionOptions
{
    public required ChildCommand Child { get; init; }

    /// <summary>Where the .nettrace goes.</summary>
    public required string TracePath { get; init; }

    /// <summary>How long to record once the child runs.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The providers of a CPU profile; replace them for another kind of trace.</summary>
    public IReadOnlyList<EventPipeProvider> Providers { get; init; } = Collection.Providers.CpuSampling;

    /// <summary>More providers (an EventSource of the lab's own, say), merged into <see cref="Providers"/>.</summary>
    public IReadOnlyList<EventPipeProvider> ExtraProviders { get; init; } = [];

    /// <summary>Ask the runtime for the rundown at the end of the session: it names the methods compiled before the
    /// session began. Without it frames stay unresolved.</summary>
    public bool RequestRundown { get; init; } = true;

    public int BufferSizeMB { get; init; } = 256;

    /// <summary>How long the started child has to connect to the diagnostic port.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long each command to the runtime may take (start the session, resume, stop).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the end of the stream (the rundown) may take to arrive after the stop.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where the diagnostic socket is created (its path must stay short: Unix sockets allow ~100 bytes).</summary>
    public string SocketDirectory { get; init; } = Path.GetTempPath();

    /// <summary>Told the child's process id as soon as it started (tests check it is gone afterwards).</summary>
    public Action<int>? ChildStarted { get; init; }

    /// <summary>Told each stage as it begins ("connecting", "recording", ...), for progress output.</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>A trace on disk and what it took to get it.</summary>
public sealed record CollectionResult(string TracePath, long Bytes, TimeSpan Recorded, int ChildProcessId);

/// <summary>The collection failed for a reason worth one line: the child exited early, a step timed out, ...
/// The child is gone and the socket removed by the time it is thrown.</summary>
public sealed class CollectionException(string message, Exception? inner = null) : Exception(message, inner);
