namespace FaultLab.Workloads.Scenarios;

/// <summary>A mistake in a scenario file, located at the offending token (line and column are 1-based).</summary>
public sealed record ParseError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
