using System.IO.Enumeration;
using FaultLab.Workloads;

namespace FaultLab.Cli.CommandLine;

/// <summary>
/// <c>--filter</c> as BenchmarkDotNet's: globs (<c>*</c>, <c>?</c>), case-insensitive, each matched against a
/// workload's name and its name without dashes (so <c>*SoftRefault*</c>, as a BenchmarkDotNet user writes it, picks
/// soft-refault). Several globs (comma-separated or the option repeated) add up; one that matches nothing is a
/// usage error listing the workloads.
/// </summary>
internal static class WorkloadFilter
{
    /// <summary>The names matching any glob, in <paramref name="names"/>' order, each once.</summary>
    public static List<string> Match(IEnumerable<string> globs, IReadOnlyList<string> names)
    {
        var patterns = globs.SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (patterns.Count == 0)
            throw new UsageException($"--filter needs workload names or globs; workloads: {string.Join(", ", names)}", "bench");
        foreach (var pattern in patterns)
        {
            if (!names.Any(n => Matches(pattern, n)))
                throw new UsageException(
                    (pattern.AsSpan().IndexOfAny('*', '?') >= 0 ? $"no workload matches {Excerpt.Quote(pattern)}" : $"unknown workload {Excerpt.Quote(pattern)}") +
                    $"; workloads: {string.Join(", ", names)}", "bench");
        }
        return [.. names.Where(n => patterns.Any(p => Matches(p, n)))];
    }

    public static bool Matches(string glob, string name) =>
        FileSystemName.MatchesSimpleExpression(glob, name, ignoreCase: true) ||
        FileSystemName.MatchesSimpleExpression(glob, name.Replace("-", ""), ignoreCase: true);
}
