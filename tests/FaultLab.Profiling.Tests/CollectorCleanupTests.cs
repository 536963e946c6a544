using System.Diagnostics;
using FaultLab.Profiling.Collection;

namespace FaultLab.Profiling.Tests;

/// <summary>
/// The collector's promises when the child misbehaves: an error naming what happened, within the timeouts, with the
/// child gone and the socket removed. These use plain Unix programs as children (they never connect to the port);
/// FaultLab.Tests does the same with the real workload host.
/// </summary>
public sealed class CollectorCleanupTests : IDisposable
{
    private readonly string sockets = Directory.CreateTempSubdirectory("faultlab-sock-").FullName;
    private readonly string traces = Directory.CreateTempSubdirectory("faultlab-trace-").FullName;

    public void Dispose()
    {
        Directory.Delete(sockets, recursive: true);
        Directory.Delete(traces, recursive: true);
    }

    private CollectionOptions Options(string file, params string[] arguments) => new()
    {
        Child = new ChildCommand(file, arguments),
        TracePath = Path.Combine(traces, "trace.nettrace"),
        Duration = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(1.5),
        CommandTimeout = TimeSpan.FromSeconds(2),
        SocketDirectory = sockets,
    };

    [Fact]
    public async Task A_child_that_exits_before_connecting_is_reported_with_its_exit_code_and_output()
    {
        var pid = 0;
        var options = Options("/bin/sh", "-c", "echo 'no such workload' >&2; exit 3") with { ChildStarted = id => pid = id };

        var error = await Assert.ThrowsAsync<CollectionException>(() => EventPipeCollector.CollectAsync(options));

        Assert.Contains("exited (code 3)", error.Message);
        Assert.Contains("before it could connect", error.Message);
        Assert.Contains("no such workload", error.Message);
        Assert.True(ProcessGone(pid));
        Assert.Empty(Directory.GetFileSystemEntries(sockets));
    }

    [Fact]
    public async Task A_child_that_never_connects_is_killed_after_the_connect_timeout()
    {
        var pid = 0;
        var options = Options("/bin/sleep", "60") with { ChildStarted = id => pid = id };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CollectionException>(() => EventPipeCollector.CollectAsync(options));

        Assert.Contains("timed out after 1.5 s waiting to connect", error.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.4, 15);
        Assert.True(ProcessGone(pid));
        Assert.Empty(Directory.GetFileSystemEntries(sockets));
    }

    [Fact]
    public async Task Cancelling_kills_the_child_and_removes_the_socket()
    {
        var pid = 0;
        using var cancel = new CancellationTokenSource();
        var options = Options("/bin/sleep", "60") with
        {
            ConnectTimeout = TimeSpan.FromMinutes(1),
            ChildStarted = id =>
            {
                pid = id;
                cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EventPipeCollector.CollectAsync(options, cancel.Token));

        Assert.True(ProcessGone(pid));
        Assert.Empty(Directory.GetFileSystemEntries(sockets));
    }

    [Fact]
    public async Task A_program_that_cannot_start_is_an_error_and_leaves_no_socket()
    {
        var options = Options(Path.Combine(sockets, "no-such-program"));

        await Assert.ThrowsAnyAsync<Exception>(() => EventPipeCollector.CollectAsync(options));

        Assert.Empty(Directory.GetFileSystemEntries(sockets));
    }

    internal static bool ProcessGone(int pid)
    {
        Assert.NotEqual(0, pid);
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
