namespace FaultLab.Workloads.Scenarios;

/// <summary>One word of a scenario line, with where it starts (both 1-based) so errors can point at it.</summary>
public readonly record struct Token(string Text, int Line, int Column)
{
    /// <summary>The column just past the token: where a missing next token is reported.</summary>
    public int EndColumn => Column + Text.Length;
}
