using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>Finding, reading, parsing and running scenario files: what every command that runs them shares.</summary>
public static class ScenarioFiles
{
    public const string Extension = ".flt";

    /// <summary>The <c>*.flt</c> files of a directory, sorted by name so runs are reproducible.</summary>
    public static IReadOnlyList<string> InDirectory(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*" + Extension)
            .Where(f => f.EndsWith(Extension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>The largest scenario file read (far beyond any real one; a bigger file is refused unread).</summary>
    public const long MaxFileBytes = 16 << 20;

    /// <summary>The most errors reported for one file; the rest are counted ("… and K more errors").</summary>
    public const int MaxErrorsPerFile = 20;

    /// <summary>
    /// Reads, parses and runs one file. A file that cannot be read, has parse errors (among them a size beyond the
    /// model's limits, <see cref="MachineConfig"/>) or cannot be run does not run: the result then carries the
    /// error lines (<c>FILE:LINE:COL: message</c>, at most <see cref="MaxErrorsPerFile"/> and a count of the rest)
    /// and no statements. Whatever one file does, the caller can go on with the next.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public static ScenarioResult Run(string file, FaultPath path = FaultPath.Generic, CancellationToken cancellation = default)
    {
        var name = Excerpt.Of(file, Excerpt.MaxPathLength);
        string text;
        try
        {
            var info = new FileInfo(file);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                return ScenarioResult.NotRun(file, [$"{name}: too large to be a scenario ({info.Length} bytes; at most {MaxFileBytes >> 20} MiB)"]);
            }
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ScenarioResult.NotRun(file, [$"{name}: cannot read: {Excerpt.Of(e.Message, Excerpt.MaxPathLength)}"]);
        }

        var scenario = ScenarioParser.Parse(file, text);
        if (!scenario.IsValid)
        {
            return ScenarioResult.NotRun(file, Capped(name, scenario.Errors.Select(e => e.ToString())));
        }
        try
        {
            return ScenarioRunner.Run(scenario, path, cancellation);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OutOfMemoryException)
        {
            // The parser holds every size to the model's limits, so this is a second line of defence: the model
            // refused the machine, or this machine had not the memory, for this file only.
            return ScenarioResult.NotRun(file, [$"{name}: cannot run: {Excerpt.Of(e.Message, 2 * Excerpt.MaxPathLength)}"]);
        }
    }

    /// <summary>The first <see cref="MaxErrorsPerFile"/> errors, then how many more there were.</summary>
    public static IEnumerable<string> Capped(string file, IEnumerable<string> errors)
    {
        var count = 0;
        foreach (var error in errors)
        {
            if (++count <= MaxErrorsPerFile)
            {
                yield return error;
            }
        }
        if (count > MaxErrorsPerFile)
        {
            yield return $"{file}: … and {count - MaxErrorsPerFile} more errors";
        }
    }
}
