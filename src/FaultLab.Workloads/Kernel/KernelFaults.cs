using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FaultLab.Workloads.Kernel;

/// <summary>
/// What this machine's Linux kernel did for one access pattern: the median over the repetitions of the faults
/// counted (getrusage ru_minflt/ru_majflt) and of the time the accesses took.
/// </summary>
/// <param name="Pattern">anon-zfod, file-read, file-cow or fork-cow.</param>
/// <param name="Pages">Pages accessed (one byte each) per repetition.</param>
/// <param name="MinorFaults">Minor faults per repetition (median).</param>
/// <param name="MajorFaults">Major faults per repetition (median; 0 expected: everything is in memory).</param>
/// <param name="NsPerFault">Median time over median faults (minor + major); NaN if no fault was counted.</param>
/// <param name="NsPerPage">Median time over <paramref name="Pages"/>: differs from NsPerFault when a fault maps
/// several pages (file-read: Linux's fault-around maps up to 16 pages per fault).</param>
public sealed record KernelFaultResult(string Pattern, int Pages, long MinorFaults, long MajorFaults, double NsPerFault, double NsPerPage);

/// <summary>
/// The real-kernel anchor: the access patterns of the simulated workloads (<c>BuiltIn/Workloads.cs</c>) run
/// against this machine's Linux through libc, so the model's costs can be set beside a real fault handler's.
/// </summary>
/// <remarks>
/// Every region is madvise(MADV_NOHUGEPAGE)'d, so faults are per base page whatever
/// /sys/kernel/mm/transparent_hugepage says. Faults are counted with getrusage(RUSAGE_SELF): the whole process,
/// so faults of other threads during a measurement are counted too (a few, in a quiet process). A read fault on a
/// file maps more than its page: fault-around (fault_around_bytes, 64 KiB by default: 16 pages) and, on kernels
/// that cache files in large folios, the rest of the folio; so file-read counts far fewer faults than pages, and
/// NsPerPage is the figure to set beside the model's per-page cost. Write faults map one page each.
/// fork-cow forks a child (see <see cref="ForkedChild"/>) that only sleeps while the parent writes every page.
/// </remarks>
public static unsafe class KernelFaults
{
    /// <summary>The patterns measured, in the order returned.</summary>
    internal static IReadOnlyList<string> Patterns { get; } = ["anon-zfod", "file-read", "file-cow", "fork-cow"];

    internal static readonly nint SleepFunction = Probe();
    private static int sink;

    /// <summary>True on Linux (x64/arm64) where the needed libc calls are available.</summary>
    public static bool IsSupported => SleepFunction != 0;

    /// <summary>
    /// Patterns: "anon-zfod", "file-read", "file-cow", "fork-cow" (same access patterns as the simulated workloads
    /// of src/FaultLab.Workloads/BuiltIn/Workloads.cs). Returns [] when !IsSupported.
    /// </summary>
    /// <param name="pages">Pages each repetition accesses.</param>
    /// <param name="repetitions">Measured repetitions per pattern (after one unmeasured warm-up); the medians are reported.</param>
    public static IReadOnlyList<KernelFaultResult> Measure(int pages = 4096, int repetitions = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        if (!IsSupported)
            return [];

        int pageSize = Environment.SystemPageSize;
        nuint length = (nuint)pages * (nuint)pageSize;
        var results = new List<KernelFaultResult>(4);

        results.Add(Run("anon-zfod", pages, repetitions, () =>
        {
            using var region = MappedRegion.Anonymous(length);
            return Touch(region.Pointer, pages, pageSize, write: true);
        }));

        using (var file = TempFile(pages, pageSize))
        {
            int fd = (int)file.DangerousGetHandle();
            results.Add(Run("file-read", pages, repetitions, () =>
            {
                using var region = MappedRegion.File(fd, length, Libc.ProtRead, Libc.MapShared);
                return Touch(region.Pointer, pages, pageSize, write: false);
            }));
            results.Add(Run("file-cow", pages, repetitions, () =>
            {
                using var region = MappedRegion.File(fd, length, Libc.ProtRead | Libc.ProtWrite, Libc.MapPrivate);
                return Touch(region.Pointer, pages, pageSize, write: true);
            }));
        }

        // The child sleeps at most this long: it outlives a parent that dies mid-measurement by no more.
        uint childSeconds = 10 + (uint)(pages / 65536);
        results.Add(Run("fork-cow", pages, repetitions, () =>
        {
            using var region = MappedRegion.Anonymous(length);
            Touch(region.Pointer, pages, pageSize, write: true); // populate: every page a private anon
            using var child = ForkedChild.Start(SleepFunction, childSeconds);
            var sample = Touch(region.Pointer, pages, pageSize, write: true); // the parent breaks COW on each
            child.End();
            return sample;
        }));

        return results;
    }

    private readonly record struct Sample(long Minor, long Major, long Ticks);

    private static KernelFaultResult Run(string pattern, int pages, int repetitions, Func<Sample> once)
    {
        once(); // warm-up: code paths, page cache, the first munmap
        var minor = new double[repetitions];
        var major = new double[repetitions];
        var ns = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            var s = once();
            minor[i] = s.Minor;
            major[i] = s.Major;
            ns[i] = s.Ticks * (1e9 / Stopwatch.Frequency);
        }
        double faults = Median(minor) + Median(major), time = Median(ns);
        return new KernelFaultResult(pattern, pages, (long)Math.Round(Median(minor)), (long)Math.Round(Median(major)),
            faults > 0 ? time / faults : double.NaN, time / pages);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /// <summary>
    /// One byte read or written per page, between two getrusage snapshots and two timestamps. Fully optimized from
    /// the first call, so no tier-up or on-stack replacement compiles code in the middle of the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static Sample Touch(byte* p, int pages, int pageSize, bool write)
    {
        Libc.Rusage before, after;
        Usage(&before);
        long start = Stopwatch.GetTimestamp();
        if (write)
        {
            for (int i = 0; i < pages; i++)
                p[(nint)i * pageSize] = (byte)(i | 1);
        }
        else
        {
            int sum = 0;
            for (int i = 0; i < pages; i++)
                sum += p[(nint)i * pageSize];
            Volatile.Write(ref sink, sum);
        }
        long end = Stopwatch.GetTimestamp();
        Usage(&after);
        return new Sample(after.MinFlt - before.MinFlt, after.MajFlt - before.MajFlt, end - start);
    }

    private static void Usage(Libc.Rusage* usage)
    {
        if (Libc.Getrusage(Libc.RusageSelf, usage) != 0)
            throw Libc.Error("getrusage");
    }

    /// <summary>
    /// A temporary file of <paramref name="pages"/> pages, written (so resident in the page cache) one page per
    /// write, and deleted on close. Page-sized writes keep the cache in base-page folios: a file written in large
    /// chunks may be cached in large folios, and a read fault then maps a whole folio (up to all 256 pages of a
    /// 1 MiB write in one fault here), which would make file-read count a folio size, not fault-around.
    /// </summary>
    private static SafeFileHandle TempFile(int pages, int pageSize)
    {
        string path = Path.Combine(Path.GetTempPath(), $"faultlab-kernel-{Environment.ProcessId}-{Guid.NewGuid():N}.dat");
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        try
        {
            var page = new byte[pageSize];
            for (long p = 0; p < pages; p++)
            {
                page.AsSpan().Fill((byte)(p * 7 + 1));
                RandomAccess.Write(file, page, p * pageSize);
            }
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>libc's sleep, the forked child's whole program, if this platform has everything needed; else 0.</summary>
    private static nint Probe()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
            return 0;
        if (!NativeLibrary.TryLoad("libc", typeof(KernelFaults).Assembly, null, out var libc))
            return 0;
        nint sleep = 0;
        foreach (var symbol in Libc.Symbols)
        {
            if (!NativeLibrary.TryGetExport(libc, symbol, out var address))
                return 0;
            if (symbol == "sleep")
                sleep = address;
        }
        return sleep;
    }
}
