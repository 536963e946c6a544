using System.Globalization;
using FaultLab.Profiling.Collection;
using FaultLab.Profiling.Model;
using FaultLab.Profiling.Parsing;
using FaultLab.Profiling.Writers;
using FaultLab.Workloads.Output;

namespace FaultLab.Profiling;

/// <summary>What a recorded flame graph is of: the workload and the fault path, as the command line names them.</summary>
public sealed record FlameSubject(string Workload, string Path)
{
    public string Title => $"{Workload} on the {Path} path";
}

/// <summary>A finished recording: the profile, its quality, and the files written.</summary>
public sealed record FlameReport(
    StackProfile Profile, ProfileQuality Quality, CollectionResult Collection, string OutputDirectory, IReadOnlyList<string> Files);

/// <summary>
/// <c>faultlab flame</c> end to end: record a trace of the child, read its samples, build the workload's profile,
/// and write <c>stacks.folded</c>, <c>flame.svg</c> and <c>speedscope.json</c> into the output directory (written
/// whole under a temporary name and renamed into place, see <see cref="OutputPath"/>). The .nettrace goes to a
/// temporary directory and is deleted, unless it is kept: then it moves into the output directory as
/// <c>trace.nettrace</c> with the rest. A failed or cancelled recording writes nothing.
/// </summary>
public static class FlameRecorder
{
    public const string FoldedFile = "stacks.folded";
    public const string SvgFile = "flame.svg";
    public const string SpeedscopeFile = "speedscope.json";
    public const string TraceFile = "trace.nettrace";

    /// <param name="collection">The collection; its <see cref="CollectionOptions.TracePath"/> is replaced.</param>
    /// <param name="output">The output directory, checked by its maker before the recording starts.</param>
    public static async Task<FlameReport> RecordAsync(
        FlameSubject subject, CollectionOptions collection, OutputPath output, bool keepTrace, CancellationToken cancellation = default,
        FlameGraphStyle? style = null)
    {
        var scratch = Directory.CreateTempSubdirectory("faultlab-flame-").FullName;
        try
        {
            var tracePath = System.IO.Path.Combine(scratch, TraceFile);
            var result = await EventPipeCollector.CollectAsync(collection with { TracePath = tracePath }, cancellation);
            collection.Progress?.Invoke("reading the trace");
            RawTrace trace;
            try
            {
                trace = NettraceReader.Read(tracePath);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CollectionException($"could not read the trace ({result.Bytes} bytes): {e.Message}", e);
            }
            var built = ProfileBuilder.Build(trace, WorkloadHost.LoopMethod);
            if (built.Quality.Samples == 0)
            {
                throw new CollectionException(
                    $"the trace holds no sample of the workload's batch loop ({WorkloadHost.LoopMethod}): did the workload run?");
            }
            cancellation.ThrowIfCancellationRequested();
            var names = new List<string>();
            var directory = output.WriteDirectory(temp =>
            {
                names.AddRange(Write(built, subject, result.Recorded, temp, style));
                if (keepTrace)
                {
                    File.Move(tracePath, System.IO.Path.Combine(temp, TraceFile));
                    names.Add(TraceFile);
                }
            });
            if (keepTrace)
            {
                result = result with { TracePath = System.IO.Path.Combine(directory, TraceFile) };
            }
            return new FlameReport(built.Profile, built.Quality, result, directory,
                [.. names.Select(name => System.IO.Path.Combine(directory, name))]);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Writes the three outputs of a profile into <paramref name="directory"/> (a fresh one); returns
    /// their names.</summary>
    /// <param name="style">How the flame graph is drawn (title, width, inverted, minimum width); its subtitle is
    /// the recording's.</param>
    public static IReadOnlyList<string> Write(BuiltProfile built, FlameSubject subject, TimeSpan recorded, string directory,
        FlameGraphStyle? style = null)
    {
        File.WriteAllText(System.IO.Path.Combine(directory, FoldedFile), FoldedFormat.ToText(built.Profile));
        File.WriteAllText(System.IO.Path.Combine(directory, SvgFile), FlameGraphSvg.Render(built.Profile,
            (style ?? new FlameGraphStyle { Title = $"FaultLab: {subject.Title}" }) with
            {
                Subtitle = string.Create(CultureInfo.InvariantCulture,
                    $"workload {subject.Workload}, path {subject.Path}: {built.Quality.Samples} samples in {recorded.TotalSeconds:0.#} s, " +
                    $"{100 * built.Quality.UnresolvedShare:0.0}% of frames unresolved"),
            }));
        using (var speedscope = File.Create(System.IO.Path.Combine(directory, SpeedscopeFile)))
        {
            if (built.Timeline is { } timeline)
                SpeedscopeWriter.WriteTimeline(timeline, $"FaultLab: {subject.Title}", speedscope);
            else
                SpeedscopeWriter.Write(built.Profile, $"FaultLab: {subject.Title}", speedscope);
        }
        return [FoldedFile, SvgFile, SpeedscopeFile];
    }
}
