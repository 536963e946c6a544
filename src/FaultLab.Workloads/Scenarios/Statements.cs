using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// One parsed line of a scenario. <see cref="Tokens"/> keeps every token with its line and column;
/// <see cref="Expected"/> is the <c>=&gt; OUTCOME</c> clause, null when the line has none (which means "ok").
/// </summary>
public abstract record Statement
{
    public required ImmutableArray<Token> Tokens { get; init; }
    public ExpectedOutcome? Expected { get; init; }

    public int Line => Tokens[0].Line;
    public int Column => Tokens[0].Column;
}

/// <summary><c>machine [pages=N] [swap=N]</c>; absent values take <see cref="MachineConfig"/>'s defaults.</summary>
public sealed record MachineStatement(int? Pages, int? SwapSlots, MachineFamily? Family = null) : Statement;

/// <summary><c>file FILE pages=N [resident]</c>.</summary>
public sealed record FileStatement(Token File, int Pages, bool Resident) : Statement;

/// <summary><c>proc PROC</c>.</summary>
public sealed record ProcStatement(Token Proc) : Statement;

/// <summary><c>PROC mmap ADDR N PROT anon|file=FILE[@PGOFF] private|shared [wired]</c>.</summary>
public sealed record MmapStatement(
    Token Proc, ulong Address, int Pages, Prot Prot, MapKind Kind, Token? File, long PageOffset, bool Wired)
    : Statement;

/// <summary>The operations that take just a range: munmap, mlock, munlock, loan, unloan.</summary>
public enum RangeOperation
{
    Munmap,
    Mlock,
    Munlock,
    Loan,
    Unloan,
}

/// <summary><c>PROC munmap|mlock|munlock|loan|unloan ADDR N</c>.</summary>
public sealed record RangeStatement(Token Proc, RangeOperation Operation, ulong Address, int Pages) : Statement;

/// <summary><c>PROC mprotect ADDR N PROT</c>.</summary>
public sealed record MprotectStatement(Token Proc, ulong Address, int Pages, Prot Prot) : Statement;

/// <summary><c>PROC madvise ADDR N normal|random|sequential</c>.</summary>
public sealed record MadviseStatement(Token Proc, ulong Address, int Pages, Advice Advice) : Statement;

/// <summary><c>PROC fork CHILD</c>.</summary>
public sealed record ForkStatement(Token Parent, Token Child) : Statement;

/// <summary><c>PROC exit</c>.</summary>
public sealed record ExitStatement(Token Proc) : Statement;

/// <summary><c>PROC read ADDR</c>.</summary>
public sealed record ReadStatement(Token Proc, ulong Address) : Statement;

/// <summary><c>PROC write ADDR BYTE</c>.</summary>
public sealed record WriteStatement(Token Proc, ulong Address, byte Value) : Statement;

/// <summary><c>pageout PROC ADDR N</c>.</summary>
public sealed record PageoutStatement(Token Proc, ulong Address, int Pages) : Statement;

/// <summary><c>pagedaemon N</c>.</summary>
public sealed record PageDaemonStatement(int Pages) : Statement;

/// <summary><c>reset counters</c>.</summary>
public sealed record ResetCountersStatement : Statement;

/// <summary><c>expect counter NAME VALUE</c>.</summary>
public sealed record ExpectCounterStatement(string Counter, long Value) : Statement;

/// <summary>What an <c>expect mapped|resident|wired</c> counts in a range.</summary>
public enum PageCountKind
{
    Mapped,
    Resident,
    Wired,
}

/// <summary><c>expect mapped|resident|wired PROC ADDR N COUNT</c>.</summary>
public sealed record ExpectPageCountStatement(PageCountKind Kind, Token Proc, ulong Address, int Pages, int Count)
    : Statement;

/// <summary><c>expect prot PROC ADDR none|r|rw</c>.</summary>
public sealed record ExpectProtStatement(Token Proc, ulong Address, Prot Prot) : Statement;

/// <summary><c>expect value PROC ADDR BYTE</c>.</summary>
public sealed record ExpectValueStatement(Token Proc, ulong Address, byte Value) : Statement;

/// <summary>Which names a statement refers to, for the static checks and the runner alike.</summary>
public static class StatementNames
{
    /// <summary>The process a statement acts on or inspects (a fork's parent); null for statements about none.</summary>
    public static Token? UsedProcess(Statement statement) => statement switch
    {
        MmapStatement s => s.Proc,
        RangeStatement s => s.Proc,
        MprotectStatement s => s.Proc,
        MadviseStatement s => s.Proc,
        ForkStatement s => s.Parent,
        ExitStatement s => s.Proc,
        ReadStatement s => s.Proc,
        WriteStatement s => s.Proc,
        PageoutStatement s => s.Proc,
        ExpectPageCountStatement s => s.Proc,
        ExpectProtStatement s => s.Proc,
        ExpectValueStatement s => s.Proc,
        _ => null,
    };
}
