using System.Diagnostics;
using System.Runtime.ExceptionServices;
using FaultLab.Benchmarks.Running;
using FaultLab.Benchmarks.Suites;
using FaultLab.Profiling.Collection;

namespace FaultLab.Cli;

/// <summary>
/// A BenchmarkDotNet run that an interrupt can stop and that leaves nothing behind. BenchmarkDotNet (0.15) cannot be
/// cancelled: it runs on a thread of its own, and on an interrupt every process below this one (the dotnet build of
/// the generated project and its MSBuild nodes, the benchmark processes) is killed until BenchmarkDotNet gives up;
/// then the generated projects it left beside the benchmarks assembly (a directory per job, tens of MB each)
/// are removed. The run's processes get a temporary directory of their own (TMPDIR), removed afterwards whatever
/// happened, so that the build's and the killed runtimes' files (MSBuild's temp folder, diagnostic sockets, debugger
/// pipes) do not stay in the user's.
/// </summary>
internal static class SuiteInterruption
{
    /// <summary>How long BenchmarkDotNet gets to give up once its processes are being killed.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired: the run was stopped and cleaned up.</exception>
    public static SuiteRun Run(Func<SuiteRun> run, CancellationToken cancellation, Action<string> progress)
    {
        var bin = Path.GetDirectoryName(typeof(SuiteCatalog).Assembly.Location)!;
        var before = GeneratedProjects(bin).ToHashSet(StringComparer.Ordinal);
        var scratch = Directory.CreateTempSubdirectory("faultlab-bench-").FullName;
        var tmpdir = Environment.GetEnvironmentVariable("TMPDIR");
        SuiteRun? result = null;
        ExceptionDispatchInfo? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                result = run();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true, // an interrupted run must not keep the process alive
            Name = "BenchmarkDotNet",
        };
        try
        {
            Environment.SetEnvironmentVariable("TMPDIR", scratch); // inherited by every process BenchmarkDotNet starts
            worker.Start();
            while (!worker.Join(TimeSpan.FromMilliseconds(100)))
            {
                if (cancellation.IsCancellationRequested)
                {
                    progress("interrupted: stopping BenchmarkDotNet's processes");
                    Stop(worker);
                    // Its own clean-up, if it got there, before ours.
                    worker.Join(TimeSpan.FromSeconds(5));
                    break;
                }
            }
        }
        finally
        {
            if (cancellation.IsCancellationRequested)
            {
                foreach (var project in GeneratedProjects(bin).Where(p => !before.Contains(p)))
                {
                    TryDelete(project);
                }
            }
            Environment.SetEnvironmentVariable("TMPDIR", tmpdir);
            TryDelete(scratch);
        }
        cancellation.ThrowIfCancellationRequested();
        failure?.Throw();
        return result!;
    }

    /// <summary>Kills BenchmarkDotNet's processes until it returns, or until none was left to kill for a second (an
    /// in-process run has none: its thread dies with the process), or <see cref="StopTimeout"/>.</summary>
    private static void Stop(Thread worker)
    {
        var clock = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        do
        {
            if (ProcessTree.KillDescendants(Environment.ProcessId, TimeSpan.FromSeconds(2)) > 0)
            {
                quiet.Restart();
            }
        }
        while (!worker.Join(TimeSpan.FromMilliseconds(200)) && clock.Elapsed < StopTimeout && quiet.Elapsed < TimeSpan.FromSeconds(1));
        // Whatever it started while giving up.
        ProcessTree.KillDescendants(Environment.ProcessId, TimeSpan.FromSeconds(2));
    }

    /// <summary>BenchmarkDotNet's generated projects beside the benchmarks assembly: named by a GUID up to 0.14,
    /// <c>PROGRAM-JOB-N</c> (e.g. <c>FaultLab.Benchmarks-default-1</c>) since 0.15.</summary>
    private static IEnumerable<string> GeneratedProjects(string bin) =>
        Directory.EnumerateDirectories(bin).Where(d => IsGeneratedProject(Path.GetFileName(d)));

    internal static bool IsGeneratedProject(string name) =>
        Guid.TryParse(name, out _) ||
        System.Text.RegularExpressions.Regex.IsMatch(name, $@"^{System.Text.RegularExpressions.Regex.Escape(BenchmarksProgram)}-.+-\d+$");

    private static string BenchmarksProgram => typeof(Benchmarks.Suites.SuiteCatalog).Assembly.GetName().Name!;

    /// <summary>Deletes a directory that BenchmarkDotNet (its own clean-up, a dying process) may be emptying at the
    /// same time: an entry that vanishes under the delete, or one still held, is retried a few times.</summary>
    private static void TryDelete(string directory)
    {
        for (var attempt = 0; attempt < 10 && Directory.Exists(directory); attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }
}
