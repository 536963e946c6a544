using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Benchmarks.Floors;

/// <summary>
/// The data floor of a workload: zeroing or copying one 4 KiB page, the work a zero-fill or copy-on-write fault
/// cannot avoid. Page buffers are pinned arrays, as the model's frames are, and one <see cref="Run"/> touches each
/// page once, so that the floor sees the same amount of memory a batch of faults does.
/// </summary>
public sealed class PageFloor
{
    public const int PageSize = 4096;

    private readonly byte[] source;
    private readonly byte[] target;

    public PageFloor(DataFloor kind, int pages)
    {
        if (kind == DataFloor.None)
            throw new ArgumentException("a workload without a data floor has nothing to measure", nameof(kind));
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        Kind = kind;
        Pages = pages;
        target = GC.AllocateArray<byte>(pages * PageSize, pinned: true);
        source = kind == DataFloor.CopyPage ? GC.AllocateArray<byte>(pages * PageSize, pinned: true) : [];
        source.AsSpan().Fill(0x5a);
        Run();
    }

    public DataFloor Kind { get; }

    /// <summary>Pages one <see cref="Run"/> zeroes or copies.</summary>
    public int Pages { get; }

    /// <summary>The floor's name in results: zero-page or copy-page.</summary>
    public string Name => NameOf(Kind);

    public static string NameOf(DataFloor kind) => kind switch
    {
        DataFloor.ZeroPage => "zero-page",
        DataFloor.CopyPage => "copy-page",
        _ => "none",
    };

    /// <summary>Zeroes (or copies) every page once, one page at a time as the model does.</summary>
    public void Run()
    {
        if (Kind == DataFloor.ZeroPage)
        {
            for (int i = 0; i < Pages; i++)
                target.AsSpan(i * PageSize, PageSize).Clear();
        }
        else
        {
            for (int i = 0; i < Pages; i++)
                source.AsSpan(i * PageSize, PageSize).CopyTo(target.AsSpan(i * PageSize, PageSize));
        }
    }
}
