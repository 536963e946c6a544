using System.Collections.Immutable;
using FaultLab.Core;
using static FaultLab.Workloads.Scenarios.Syntax;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// Compares what happened with what a statement's <c>=&gt;</c> clause says. Only the keys given are checked;
/// a statement without a clause expects success, so an error it did not name is a failure.
/// </summary>
internal static class Expectations
{
    public static ImmutableArray<string> CheckOperation(ExpectedOutcome? expected, Errno actual)
    {
        var wanted = expected?.Error ?? Errno.OK;
        return wanted == actual ? [] : [Mismatch(ErrnoName(wanted), ErrnoName(actual))];
    }

    public static ImmutableArray<string> CheckAccess(ExpectedOutcome? expected, AccessResult actual, MachineFamily family)
    {
        var got = AccessOutcome(actual, family);
        if (expected is null)
        {
            return actual.Ok ? [] : [Mismatch("ok", got)];
        }

        var failures = ImmutableArray.CreateBuilder<string>();
        if (expected.Name != got)
        {
            failures.Add(Mismatch(expected.Name, got));
        }
        // In the family's order, whatever order the clause gave them in.
        foreach (var key in family.Keys)
        {
            if (expected.KeyValue(key.Name) is { } n && n != key.Read(actual))
            {
                failures.Add(Mismatch($"{key.Name}={Count(n)}", $"{key.Name}={Count(key.Read(actual))}"));
            }
        }
        // A failed access has no mapping or byte to compare: its outcome mismatch already says everything.
        if (actual.Ok && expected.Prot is { } p && p != actual.ProtAfter)
        {
            failures.Add(Mismatch($"prot={ProtName(p)}", $"prot={ProtName(actual.ProtAfter)}"));
        }
        if (actual.Ok && expected.Value is { } v && v != actual.Value)
        {
            failures.Add(Mismatch($"value={Byte(v)}", $"value={Byte(actual.Value)}"));
        }
        return failures.ToImmutable();
    }

    /// <summary>An <c>expect</c> statement: <paramref name="expected"/> and <paramref name="actual"/> already spelled.</summary>
    public static ImmutableArray<string> CheckObservation(string what, string expected, string actual) =>
        expected == actual ? [] : [Mismatch($"{what} {expected}", actual)];

    public static string AccessOutcome(AccessResult result, MachineFamily family) =>
        result.Ok ? family.OutcomeName(result.Outcome) : ErrnoName(result.Error);

    public static string ErrnoName(Errno error) => error == Errno.OK ? "ok" : error.ToString();

    public static string Mismatch(string expected, string actual) => $"expected {expected}, got {actual}";
}
