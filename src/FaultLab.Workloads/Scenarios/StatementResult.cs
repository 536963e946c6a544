using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// What one statement did. <see cref="Outcome"/> is the outcome word (<c>ok</c>, <c>hit</c>, <c>2B</c>, an errno
/// name) or, for an <c>expect</c>, the value observed. <see cref="Keys"/> holds the family's count keys of an
/// access (empty for any other statement); the other keys are null where they do not apply.
/// </summary>
public sealed record StatementResult(int Line, string Text, string Outcome)
{
    /// <summary>The access's counts, in the family's key order.</summary>
    public ImmutableArray<(string Key, int Value)> Keys { get; init; } = [];
    public Prot? Prot { get; init; }
    public byte? Value { get; init; }

    /// <summary>One message per expectation that did not hold, each "expected …, got …".</summary>
    public ImmutableArray<string> Failures { get; init; } = [];

    public bool Ok => Failures.IsEmpty;
}

/// <summary>
/// The run of one scenario file. When <see cref="Errors"/> is not empty (the file could not be read or parsed)
/// nothing of it ran and <see cref="Statements"/> is empty.
/// </summary>
public sealed record ScenarioResult(string File, ImmutableArray<StatementResult> Statements, ImmutableArray<string> Errors)
{
    /// <summary>The family of the machine the file ran on (its key names shape the JSON transcript).</summary>
    public MachineFamily Family { get; init; } = MachineCatalog.BuiltIn.Default;

    public bool Ran => Errors.IsEmpty;

    /// <summary>Statements with at least one failed expectation.</summary>
    public int Failed => Statements.Count(s => !s.Ok);

    public bool Passed => Ran && Failed == 0;

    /// <summary><see cref="Machine.Fingerprint"/> of the machine at the end of the run (after the statement that
    /// stopped it, if one threw): two runs of a file that left the machine in the same observable state have the
    /// same one. Null when the file did not run, or when the machine could not even be fingerprinted.</summary>
    public ulong? Fingerprint { get; init; }

    public static ScenarioResult NotRun(string file, IEnumerable<string> errors) => new(file, [], [.. errors]);
}
