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

    /// <summary>
    /// Reads, parses and runs one file. A file that cannot be read or has parse errors does not run: the result
    /// then carries the error lines (<c>FILE:LINE:COL: message</c>) and no statements.
    /// </summary>
    public static ScenarioResult Run(string file, FaultPath path = FaultPath.Generic)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ScenarioResult.NotRun(file, [$"{file}: cannot read: {e.Message}"]);
        }

        var scenario = ScenarioParser.Parse(file, text);
        return scenario.IsValid
            ? ScenarioRunner.Run(scenario, path)
            : ScenarioResult.NotRun(file, scenario.Errors.Select(e => e.ToString()));
    }
}
