using FaultLab.Core;
using static FaultLab.Workloads.Scenarios.Syntax;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The canonical spelling of a statement, as the transcript shows it: single spaces, addresses and bytes in hex,
/// counts in decimal, and without its <c>=&gt;</c> clause (the transcript puts what happened there instead).
/// </summary>
public static class StatementText
{
    public static string Format(Statement statement) => statement switch
    {
        MachineStatement s => Join("machine", s.Pages is { } p ? $"pages={Count(p)}" : null, s.SwapSlots is { } w ? $"swap={Count(w)}" : null,
            s.Family is { } f ? $"family={f.Name}" : null),
        FileStatement s => Join("file", s.File.Text, $"pages={Count(s.Pages)}", s.Resident ? "resident" : null),
        ProcStatement s => $"proc {s.Proc.Text}",
        MmapStatement s => Join(s.Proc.Text, "mmap", Address(s.Address), Count(s.Pages), ProtName(s.Prot),
            Backing(s), s.Kind is MapKind.AnonShared or MapKind.FileShared ? "shared" : "private", s.Wired ? "wired" : null),
        RangeStatement s => Join(s.Proc.Text, RangeOperationName(s.Operation), Address(s.Address), Count(s.Pages)),
        MprotectStatement s => Join(s.Proc.Text, "mprotect", Address(s.Address), Count(s.Pages), ProtName(s.Prot)),
        MadviseStatement s => Join(s.Proc.Text, "madvise", Address(s.Address), Count(s.Pages), AdviceName(s.Advice)),
        ForkStatement s => $"{s.Parent.Text} fork {s.Child.Text}",
        ExitStatement s => $"{s.Proc.Text} exit",
        ReadStatement s => Join(s.Proc.Text, "read", Address(s.Address)),
        WriteStatement s => Join(s.Proc.Text, "write", Address(s.Address), Byte(s.Value)),
        PageoutStatement s => Join("pageout", s.Proc.Text, Address(s.Address), Count(s.Pages)),
        PageDaemonStatement s => $"pagedaemon {Count(s.Pages)}",
        ResetCountersStatement => "reset counters",
        ExpectCounterStatement s => Join("expect counter", s.Counter, Count(s.Value)),
        ExpectPageCountStatement s => Join("expect", PageCountName(s.Kind), s.Proc.Text, Address(s.Address), Count(s.Pages), Count(s.Count)),
        ExpectProtStatement s => Join("expect prot", s.Proc.Text, Address(s.Address), ProtName(s.Prot)),
        ExpectValueStatement s => Join("expect value", s.Proc.Text, Address(s.Address), Byte(s.Value)),
        _ => throw new ArgumentException($"unknown statement {statement.GetType().Name}", nameof(statement)),
    };

    private static string Backing(MmapStatement s) =>
        s.File is not { } file ? "anon"
        : s.PageOffset == 0 ? $"file={file.Text}"
        : $"file={file.Text}@{Count(s.PageOffset)}";

    private static string Join(params string?[] words) => string.Join(' ', words.Where(w => w is not null));
}
