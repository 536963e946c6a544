using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The <c>=&gt; OUTCOME [key=value ...]</c> clause of a statement. <see cref="Error"/> is <c>OK</c> for a success
/// (<c>ok</c>, <c>hit</c> or a fault case); <see cref="Case"/> is set only for a successful read or write.
/// The keys are null when not given: only given keys are checked.
/// </summary>
public sealed record ExpectedOutcome(Token Token, Errno Error, FaultCase? Case)
{
    public int? Restarts { get; init; }
    public int? Neighbors { get; init; }
    public Prot? Prot { get; init; }
    public byte? Value { get; init; }

    /// <summary>The outcome word as written in scenarios: <c>ok</c>, <c>hit</c>, <c>1A</c> … or an errno name.</summary>
    public string Name => Error != Errno.OK ? Error.ToString() : Case is { } c ? Syntax.CaseName(c) : "ok";
}
