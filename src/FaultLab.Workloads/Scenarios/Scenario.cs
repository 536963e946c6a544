using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// A scenario file as parsed. When <see cref="Errors"/> is not empty the file must not run at all:
/// <see cref="Statements"/> then holds only the lines that did parse, for tools that want to show them.
/// </summary>
/// <see cref="Family"/> is the family its <c>machine</c> statement names (the catalog's default when it names none):
/// its outcomes, keys and counters are the ones the file was checked against.
/// </summary>
public sealed record Scenario(string File, ImmutableArray<Statement> Statements, ImmutableArray<ParseError> Errors, MachineFamily Family)
{
    public bool IsValid => Errors.IsEmpty;
}
