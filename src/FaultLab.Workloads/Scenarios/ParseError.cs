namespace FaultLab.Workloads.Scenarios;

/// <summary>A mistake in a scenario file, located at the offending token (line and column are 1-based).</summary>
public sealed record ParseError(string File, int Line, int Column, string Message)
{
    /// <summary><c>FILE:LINE:COL: message</c>; the file name escaped as every quoted input is (<see cref="Excerpt"/>).</summary>
    public override string ToString() => $"{Excerpt.Of(File, Excerpt.MaxPathLength)}:{Line}:{Column}: {Message}";
}
