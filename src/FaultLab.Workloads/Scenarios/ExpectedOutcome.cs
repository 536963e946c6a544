using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The <c>=&gt; OUTCOME [key=value ...]</c> clause of a statement. <see cref="Error"/> is <c>OK</c> for a success
/// (<c>ok</c>, <c>hit</c> or one of the family's fault outcomes); <see cref="Outcome"/> is set only for a
/// successful read or write. <see cref="Keys"/> holds the family's count keys given, in the order given; the
/// other keys are null when not given: only given keys are checked.
/// </summary>
public sealed record ExpectedOutcome(Token Token, Errno Error, Outcome? Outcome)
{
    public ImmutableArray<ExpectedKey> Keys { get; init; } = [];
    public Prot? Prot { get; init; }
    public byte? Value { get; init; }

    /// <summary>The outcome word as written: <c>ok</c>, <c>hit</c>, an outcome of the family or an errno name.</summary>
    public string Name => Token.Text;

    /// <summary>The value given for that key, or null.</summary>
    public int? KeyValue(string key) => Keys.FirstOrDefault(k => k.Key.Name == key)?.Value;
}

/// <summary>A count key of the outcome clause (<c>restarts=1</c>) and the value it expects.</summary>
public sealed record ExpectedKey(AccessKey Key, int Value);
