using System.Collections.Immutable;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// A scenario file as parsed. When <see cref="Errors"/> is not empty the file must not run at all:
/// <see cref="Statements"/> then holds only the lines that did parse, for tools that want to show them.
/// </summary>
public sealed record Scenario(string File, ImmutableArray<Statement> Statements, ImmutableArray<ParseError> Errors)
{
    public bool IsValid => Errors.IsEmpty;
}
