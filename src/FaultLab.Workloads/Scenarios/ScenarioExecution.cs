using System.Collections.Immutable;
using FaultLab.Core;
using static FaultLab.Workloads.Scenarios.Expectations;
using static FaultLab.Workloads.Scenarios.Syntax;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// One run in progress: the machine and what the scenario's names stand for in it. Maps each statement to its
/// <see cref="Machine"/> call and judges the result.
/// </summary>
internal sealed class ScenarioExecution(IMachine machine)
{
    private readonly Dictionary<string, ProcId> processes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileId> files = new(StringComparer.Ordinal);

    public StatementResult Execute(Statement statement, string text)
    {
        // The parser guarantees every name is defined; only a fork that failed at run time leaves one unbound.
        if (UnboundProcess(statement) is { } unbound)
        {
            return new StatementResult(statement.Line, text, "not run")
            {
                Failures = [$"expected process {Excerpt.Quote(unbound)} to exist, got none (its fork failed)"],
            };
        }

        return statement switch
        {
            MachineStatement => Operation(statement, text, Errno.OK),
            FileStatement s => Define(files, s.File, machine.CreateFile(s.Pages, s.Resident), statement, text),
            ProcStatement s => Define(processes, s.Proc, machine.CreateProcess(), statement, text),
            MmapStatement s => Operation(statement, text, machine.Mmap(Proc(s.Proc), s.Address, s.Pages, s.Prot, s.Kind,
                s.File is { } f ? files[f.Text] : default, s.PageOffset, s.Wired)),
            RangeStatement s => Operation(statement, text, Range(s)),
            MprotectStatement s => Operation(statement, text, machine.Mprotect(Proc(s.Proc), s.Address, s.Pages, s.Prot)),
            MadviseStatement s => Operation(statement, text, machine.Madvise(Proc(s.Proc), s.Address, s.Pages, s.Advice)),
            ForkStatement s => Fork(s, text),
            ExitStatement s => Exit(s, text),
            ReadStatement s => Access(statement, text, machine.Read(Proc(s.Proc), s.Address), isRead: true),
            WriteStatement s => Access(statement, text, machine.Write(Proc(s.Proc), s.Address, s.Value), isRead: false),
            PageoutStatement s => Operation(statement, text, machine.Pageout(Proc(s.Proc), s.Address, s.Pages)),
            PageDaemonStatement s => PageDaemon(s, text),
            ResetCountersStatement => ResetCounters(statement, text),
            ExpectCounterStatement s => Observe(statement, text, $"counter {s.Counter}", Count(s.Value),
                Count(machine.Counter(s.Counter))),
            ExpectPageCountStatement s => Observe(statement, text, PageCountName(s.Kind), Count(s.Count),
                Count(CountPages(s))),
            ExpectProtStatement s => Observe(statement, text, "prot", ProtName(s.Prot),
                ProtName(machine.MappedProt(Proc(s.Proc), s.Address))),
            ExpectValueStatement s => Observe(statement, text, "value", Byte(s.Value), Peek(s)),
            _ => throw new ArgumentException($"unknown statement {statement.GetType().Name}", nameof(statement)),
        };
    }

    private ProcId Proc(Token name) => processes[name.Text];

    private string? UnboundProcess(Statement statement) =>
        StatementNames.UsedProcess(statement) is { } used && !processes.ContainsKey(used.Text) ? used.Text : null;

    private StatementResult Define<TId>(Dictionary<string, TId> names, Token name, TId id, Statement statement, string text)
    {
        names[name.Text] = id;
        return Operation(statement, text, Errno.OK);
    }

    private Errno Range(RangeStatement s)
    {
        var proc = Proc(s.Proc);
        return s.Operation switch
        {
            RangeOperation.Munmap => machine.Munmap(proc, s.Address, s.Pages),
            RangeOperation.Mlock => machine.Mlock(proc, s.Address, s.Pages),
            RangeOperation.Munlock => machine.Munlock(proc, s.Address, s.Pages),
            RangeOperation.Loan => machine.Loan(proc, s.Address, s.Pages),
            _ => machine.Unloan(proc, s.Address, s.Pages),
        };
    }

    private StatementResult Fork(ForkStatement s, string text)
    {
        var error = machine.Fork(Proc(s.Parent), out var child);
        if (error == Errno.OK)
        {
            processes[s.Child.Text] = child;
        }
        return Operation(s, text, error);
    }

    private StatementResult Exit(ExitStatement s, string text)
    {
        var error = machine.Exit(Proc(s.Proc));
        // The parser has already retired the name: later lines cannot use it whatever the model said.
        processes.Remove(s.Proc.Text);
        return Operation(s, text, error);
    }

    private StatementResult PageDaemon(PageDaemonStatement s, string text)
    {
        // How many pages the daemon freed is the model's own policy, not part of the contract a scenario checks.
        machine.PageDaemon(s.Pages);
        return Operation(s, text, Errno.OK);
    }

    private StatementResult ResetCounters(Statement statement, string text)
    {
        machine.ResetCounters();
        return Operation(statement, text, Errno.OK);
    }

    private int CountPages(ExpectPageCountStatement s)
    {
        var proc = Proc(s.Proc);
        return s.Kind switch
        {
            PageCountKind.Mapped => machine.CountMapped(proc, s.Address, s.Pages),
            PageCountKind.Resident => machine.CountResident(proc, s.Address, s.Pages),
            _ => machine.CountWired(proc, s.Address, s.Pages),
        };
    }

    private string Peek(ExpectValueStatement s) =>
        machine.TryPeek(Proc(s.Proc), s.Address, out var value) ? Byte(value) : "no value (EFAULT)";

    private static StatementResult Operation(Statement statement, string text, Errno error) =>
        new(statement.Line, text, ErrnoName(error)) { Failures = CheckOperation(statement.Expected, error) };

    private StatementResult Access(Statement statement, string text, AccessResult result, bool isRead)
    {
        // A hit has no pass to count; a fault, successful or not, reports every key of its family.
        var family = machine.Family;
        var counted = !result.Ok || result.Faulted;
        return new StatementResult(statement.Line, text, AccessOutcome(result, family))
        {
            Keys = counted ? [.. family.Keys.Select(k => (k.Name, k.Read(result)))] : [],
            Prot = result.Ok ? result.ProtAfter : null,
            Value = result.Ok && isRead ? result.Value : null,
            Failures = CheckAccess(statement.Expected, result, family),
        };
    }

    private static StatementResult Observe(Statement statement, string text, string what, string expected, string actual) =>
        new(statement.Line, text, actual) { Failures = CheckObservation(what, expected, actual) };
}
