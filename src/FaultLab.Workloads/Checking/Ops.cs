using System.Globalization;
using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>
/// One statement of a checker run. Each prints as a statement of the scenario language (SCENARIOS.md), so that a
/// shrunk run is a runnable scenario file. Processes are named (<c>p1</c>, <c>p2</c>, ...): an operation on a
/// process that does not exist (its fork was shrunk away, or it exited) is skipped on replay.
/// </summary>
internal abstract record Op
{
    /// <summary>The process the operation acts as, if any.</summary>
    public abstract string? Proc { get; }

    /// <summary>The statement in scenario syntax.</summary>
    public abstract string ToScenario();

    public sealed override string ToString() => ToScenario();

    internal static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    internal static string ProtName(Prot prot) => prot switch
    {
        Prot.None => "none",
        Prot.Read => "r",
        Prot.ReadWrite => "rw",
        _ => "w",
    };

    internal static string AdviceName(Advice advice) => advice switch
    {
        Advice.Random => "random",
        Advice.Sequential => "sequential",
        _ => "normal",
    };
}

internal sealed record MmapOp(string P, ulong Addr, int Pages, Prot Prot, MapKind Kind, string? File, long PgOff,
    bool Wired) : Op
{
    public override string? Proc => P;

    public bool IsShared => Kind is MapKind.AnonShared or MapKind.FileShared;
    public bool IsFile => Kind is MapKind.FilePrivate or MapKind.FileShared;

    public override string ToScenario()
    {
        var backing = IsFile ? (PgOff == 0 ? $"file={File}" : $"file={File}@{PgOff}") : "anon";
        var sharing = IsShared ? "shared" : "private";
        return $"{P} mmap {Hex(Addr)} {Pages} {ProtName(Prot)} {backing} {sharing}{(Wired ? " wired" : "")}";
    }
}

/// <summary>The range statements that take no argument beyond the range.</summary>
internal enum RangeVerb : byte { Munmap, Mlock, Munlock, Loan, Unloan, Pageout }

internal sealed record RangeOp(string P, RangeVerb Verb, ulong Addr, int Pages) : Op
{
    public override string? Proc => P;

    public override string ToScenario() => Verb switch
    {
        RangeVerb.Pageout => $"pageout {P} {Hex(Addr)} {Pages}",
        _ => $"{P} {Verb.ToString().ToLowerInvariant()} {Hex(Addr)} {Pages}",
    };
}

internal sealed record MprotectOp(string P, ulong Addr, int Pages, Prot Prot) : Op
{
    public override string? Proc => P;
    public override string ToScenario() => $"{P} mprotect {Hex(Addr)} {Pages} {ProtName(Prot)}";
}

internal sealed record MadviseOp(string P, ulong Addr, int Pages, Advice Advice) : Op
{
    public override string? Proc => P;
    public override string ToScenario() => $"{P} madvise {Hex(Addr)} {Pages} {AdviceName(Advice)}";
}

internal sealed record ForkOp(string P, string Child) : Op
{
    public override string? Proc => P;
    public override string ToScenario() => $"{P} fork {Child}";
}

internal sealed record ExitOp(string P) : Op
{
    public override string? Proc => P;
    public override string ToScenario() => $"{P} exit";
}

internal sealed record ReadOp(string P, ulong Addr) : Op
{
    public override string? Proc => P;
    public override string ToScenario() => $"{P} read {Hex(Addr)}";
}

internal sealed record WriteOp(string P, ulong Addr, byte Value) : Op
{
    public override string? Proc => P;
    public override string ToScenario() => $"{P} write {Hex(Addr)} {Hex(Value)}";
}

internal sealed record PagedaemonOp(int Pages) : Op
{
    public override string? Proc => null;
    public override string ToScenario() => $"pagedaemon {Pages}";
}

internal sealed record ResetCountersOp : Op
{
    public override string? Proc => null;
    public override string ToScenario() => "reset counters";
}

/// <summary>A file of the run's machine.</summary>
internal sealed record FileSpec(string Name, int Pages, bool Resident)
{
    public string ToScenario() => $"file {Name} pages={Pages}{(Resident ? " resident" : "")}";
}

/// <summary>The machine, files and initial processes of a run: the header of its scenario.</summary>
internal sealed record RunSetup(int Pages, int SwapSlots, int PageTablePages, IReadOnlyList<FileSpec> Files,
    IReadOnlyList<string> Procs)
{
    public const int DefaultPageTablePages = 4096;

    /// <summary>The family the run is of, when it is not the default one (the header then names it).</summary>
    public string? Family { get; init; }

    public MachineConfig ToConfig(FaultPath path) =>
        new() { Pages = Pages, SwapSlots = SwapSlots, PageTablePages = PageTablePages, Path = path };

    /// <summary>The header lines; a page-table limit, which the scenario language cannot state, becomes a comment.</summary>
    public IEnumerable<string> HeaderLines()
    {
        yield return $"machine pages={Pages} swap={SwapSlots}{(Family is { } family ? $" family={family}" : "")}";
        if (PageTablePages != DefaultPageTablePages)
            yield return $"# checker: MachineConfig.PageTablePages = {PageTablePages} (not expressible in a scenario)";
        foreach (var f in Files) yield return f.ToScenario();
        foreach (var p in Procs) yield return $"proc {p}";
    }
}
