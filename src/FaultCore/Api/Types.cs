namespace FaultLab.Core;

/// <summary>Error numbers the model returns, named as NetBSD names them. <c>OK</c> is success.</summary>
public enum Errno : byte
{
    OK = 0,
    EFAULT,
    ENOMEM,
    EIO,
    EINVAL,
    EACCES,
    /// <summary>No map entry at an address of the range (uvm_loan's failed uvmfault_lookup).</summary>
    ENOENT,
    /// <summary>Internal to the fault path: the pass must be redone (never returned by an operation).</summary>
    ERESTART,
    /// <summary>The operation is not supported by the machine's family (FreeBSD 1995's madvise stub, loans).</summary>
    EOPNOTSUPP,
}

/// <summary>VM_PROT_* bits. The model has no execute permission.</summary>
[Flags]
public enum Prot : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>MADV_* values; they index the <c>uvmadvice</c> table.</summary>
public enum Advice : byte
{
    Normal = 0,
    Random = 1,
    Sequential = 2,
}

/// <summary>How a range is mapped by <see cref="Machine.Mmap"/>.</summary>
public enum MapKind : byte
{
    AnonPrivate,
    AnonShared,
    FilePrivate,
    FileShared,
}

/// <summary>A process of the machine (index into the machine's process table).</summary>
public readonly record struct ProcId(int Value);

/// <summary>A file (vnode) of the machine.</summary>
public readonly record struct FileId(int Value);

/// <summary>
/// What an access reported: <see cref="Hit"/> (no fault), one of its family's fault outcomes (code 1 … n, named by
/// <see cref="MachineFamily.Outcomes"/>), or <see cref="Failed"/>.
/// </summary>
public readonly record struct Outcome(byte Code)
{
    /// <summary>No fault: the pmap already had a mapping with the needed right.</summary>
    public static Outcome Hit => default;

    /// <summary>The access failed; its <see cref="AccessResult.Error"/> says why.</summary>
    public static Outcome Failed => new(byte.MaxValue);

    /// <summary>The family's outcome number <paramref name="index"/> (0-based, as in <see cref="MachineFamily.Outcomes"/>).</summary>
    public static Outcome Fault(int index) => new(checked((byte)(index + 1)));

    public bool IsHit => Code == 0;

    /// <summary>One of the family's fault outcomes (neither a hit nor a failure).</summary>
    public bool IsFault => Code is > 0 and < byte.MaxValue;
}

/// <summary>
/// What one read or write did. <see cref="Detail0"/> and <see cref="Detail1"/> are counts whose meaning the
/// machine's family declares (<see cref="MachineFamily.Keys"/>: the NetBSD family's <c>neighbors</c> is
/// <see cref="Detail0"/>); a family that has fewer keys leaves them 0.
/// </summary>
public readonly record struct AccessResult(
    Errno Error,
    Outcome Outcome,
    int Restarts,
    int Detail0,
    Prot ProtAfter,
    byte Value,
    int Detail1 = 0)
{
    public bool Ok => Error == Errno.OK;
    public bool Faulted => !Outcome.IsHit;
}

/// <summary>Which implementation of the fault path a machine runs.</summary>
public enum FaultPath : byte
{
    /// <summary>The reference: the readable generic path.</summary>
    Generic,
    /// <summary>One variant per configuration, partially evaluated by the Roslyn generator.</summary>
    Specialized,
    /// <summary>The same copies over a struct type parameter: the JIT folds the configuration.</summary>
    Monomorphized,
}

/// <summary>The names of the fault paths, as <c>--path</c> and every result spells them.</summary>
public static class FaultPathNames
{
    /// <summary>generic, specialized, monomorphized.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<FaultPath>().Select(NameOf).ToArray();

    public static string NameOf(FaultPath path) => path.ToString().ToLowerInvariant();

    /// <summary>The path of that name; false for a name that is none.</summary>
    public static bool TryParse(string name, out FaultPath path)
    {
        foreach (var candidate in Enum.GetValues<FaultPath>())
        {
            if (NameOf(candidate) == name)
            {
                path = candidate;
                return true;
            }
        }
        path = default;
        return false;
    }
}

/// <summary>
/// Size of the simulated machine, and the largest sizes the model takes: every page is a real 4 KiB buffer, so each
/// maximum is what a machine of the lab (24 GiB, shared with builds and tests) can allocate and set up in a moment.
/// The scenario parser checks them at parse time; <see cref="Machine"/> and <see cref="Machine.CreateFile"/> check
/// them again (ArgumentOutOfRangeException).
/// </summary>
public sealed record MachineConfig
{
    /// <summary>Bytes of one page, frame, swap slot or file page.</summary>
    public const int PageBytes = 4096;

    /// <summary>The most physical pages: 1 GiB of frames.</summary>
    public const int MaxPages = 262_144;

    /// <summary>The most swap slots: 1 GiB of swap.</summary>
    public const int MaxSwapSlots = 262_144;

    /// <summary>The most page-table pages: 1 GiB of page tables.</summary>
    public const int MaxPageTablePages = 262_144;

    /// <summary>The most pages of one file, and of all the files of a machine together: 1 GiB of "disk".</summary>
    public const int MaxFilePages = 262_144;

    /// <summary>The most pages a range can have: the whole user address space (512 GiB, three page-table
    /// levels). A longer range is never valid; the model answers EINVAL for one that does not fit.</summary>
    public const int MaxRangePages = (int)(Param.VM_MAXUSER_ADDRESS / PageBytes);


    /// <summary>Physical page frames (4 KiB each).</summary>
    public int Pages { get; init; } = 4096;
    /// <summary>Swap slots (4 KiB each).</summary>
    public int SwapSlots { get; init; } = 8192;
    /// <summary>Page-table pages the pmaps of all processes may use; when exhausted pmap_enter fails (PMAP_CANFAIL).</summary>
    public int PageTablePages { get; init; } = 4096;
    public FaultPath Path { get; init; } = FaultPath.Generic;

    /// <summary>Why this machine cannot be made (a size out of range, with the memory it would need), or null.</summary>
    public string? Problem() =>
        SizeProblem("pages", Pages, 1, MaxPages, "of frames")
        ?? SizeProblem("swap slots", SwapSlots, 0, MaxSwapSlots, "of swap")
        ?? SizeProblem("page-table pages", PageTablePages, 3, MaxPageTablePages, "of page tables");

    /// <summary>Why a file of <paramref name="pages"/> pages cannot be added to files of
    /// <paramref name="existingFilePages"/> pages in all, or null.</summary>
    public static string? FileProblem(long pages, long existingFilePages) =>
        SizeProblem("file pages", pages, 1, MaxFilePages, "of disk")
        ?? (existingFilePages + pages > MaxFilePages
            ? $"the files of a machine have at most {MaxFilePages} pages together ({Bytes(MaxFilePages)} of disk); " +
              $"this one would make {existingFilePages + pages} ({Bytes(existingFilePages + pages)})"
            : null);

    /// <summary>Why <paramref name="value"/> is no valid count of <paramref name="what"/>, or null.</summary>
    public static string? SizeProblem(string what, long value, long min, long max, string memory) =>
        value < min ? $"{what} must be at least {min}, got {value}"
        : value > max ? $"{what} must be at most {max} ({Bytes(max)} {memory}); {value} would need {Bytes(value)}"
        : null;

    /// <summary>The memory <paramref name="pages"/> pages take, in the largest binary unit that keeps it whole-ish.</summary>
    public static string Bytes(long pages)
    {
        var bytes = (decimal)pages * PageBytes; // no overflow for any long
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return bytes == decimal.Truncate(bytes)
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes:0} {units[unit]}")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes:0.#} {units[unit]}");
    }
}
