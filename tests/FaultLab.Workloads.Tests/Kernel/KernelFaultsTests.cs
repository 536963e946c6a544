using FaultLab.Workloads.Kernel;
using Xunit.Abstractions;

namespace FaultLab.Workloads.Tests.Kernel;

/// <summary>
/// The real-kernel anchor against this machine's Linux. Timings are only checked to be positive; fault counts are
/// checked where the kernel's behaviour is certain. Not run in parallel with other tests: getrusage(RUSAGE_SELF)
/// counts the faults of every thread of the process.
/// </summary>
[Collection(nameof(KernelFaultsTests))]
public class KernelFaultsTests(ITestOutputHelper output)
{
    private const int Pages = 256;

    [KernelFact]
    public void Measure_reports_the_four_patterns_with_plausible_fault_counts_and_leaves_no_child()
    {
        var before = Children();
        var results = KernelFaults.Measure(pages: Pages, repetitions: 2);
        var after = Children();

        output.WriteLine($"THP: {ReadOrMissing("/sys/kernel/mm/transparent_hugepage/enabled")} (regions are MADV_NOHUGEPAGE)");
        foreach (var r in results)
            output.WriteLine($"{r.Pattern,-10} pages={r.Pages} minflt={r.MinorFaults} majflt={r.MajorFaults} ns/fault={r.NsPerFault:F0} ns/page={r.NsPerPage:F0}");

        Assert.Equal(["anon-zfod", "file-read", "file-cow", "fork-cow"], results.Select(r => r.Pattern));
        foreach (var r in results)
        {
            Assert.Equal(Pages, r.Pages);
            Assert.True(r.MinorFaults > 0, $"{r.Pattern}: no minor fault counted");
            Assert.True(r.MajorFaults >= 0, r.Pattern);
            Assert.True(r.NsPerFault > 0, $"{r.Pattern}: ns/fault {r.NsPerFault}");
            Assert.True(r.NsPerPage > 0, $"{r.Pattern}: ns/page {r.NsPerPage}");
        }
        var byName = results.ToDictionary(r => r.Pattern);
        Assert.InRange(byName["anon-zfod"].MinorFaults, Pages / 2, Pages * 2); // one per page without huge pages
        Assert.InRange(byName["file-read"].MinorFaults, 1, Pages); // fault-around maps several pages per fault
        Assert.InRange(byName["file-cow"].MinorFaults, Pages / 2, Pages * 2); // one copy per page
        Assert.InRange(byName["fork-cow"].MinorFaults, Pages / 2, Pages * 2); // one copy per page
        Assert.Equal(before, after);
    }

    [KernelFact]
    public void A_forked_child_runs_until_ended_and_is_then_reaped()
    {
        var before = Children();
        using var child = ForkedChild.Start(KernelFaults.SleepFunction, 10);

        Assert.True(child.IsRunning);
        Assert.Contains(child.Pid, Children());
        child.End();

        Assert.False(child.IsRunning);
        Assert.Equal(9, child.KillAndReap() & 0x7f); // killed by SIGKILL, still running when ended
        Assert.Equal(before, Children());
    }

    [KernelFact]
    public void A_forked_child_is_killed_and_reaped_when_an_exception_leaves_its_scope()
    {
        var before = Children();
        int pid = 0;

        void Measurement()
        {
            using var child = ForkedChild.Start(KernelFaults.SleepFunction, 10);
            pid = child.Pid;
            throw new InvalidOperationException("measurement failed");
        }

        Assert.Throws<InvalidOperationException>(Measurement);

        Assert.NotEqual(0, pid);
        Assert.DoesNotContain(pid, Children());
        Assert.Equal(before, Children());
    }

    [KernelFact]
    public void Arguments_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelFaults.Measure(pages: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelFaults.Measure(repetitions: 0));
    }

    [UnsupportedFact]
    public void Measure_returns_nothing_where_unsupported() => Assert.Empty(KernelFaults.Measure(pages: 16, repetitions: 1));

    /// <summary>This process's children, zombies included: every /proc/PID/stat whose ppid is ours.</summary>
    private static SortedSet<int> Children()
    {
        var children = new SortedSet<int>();
        int self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1]) == self)
                children.Add(pid);
        }
        return children;
    }

    private static string ReadOrMissing(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "(missing)";
}

[CollectionDefinition(nameof(KernelFaultsTests), DisableParallelization = true)]
public class KernelFaultsCollection;

/// <summary>A fact that runs only where <see cref="KernelFaults.IsSupported"/>.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (!KernelFaults.IsSupported)
            Skip = "needs Linux (x64/arm64) with libc";
    }
}

/// <summary>A fact that runs only where <see cref="KernelFaults.IsSupported"/> is false.</summary>
public sealed class UnsupportedFactAttribute : FactAttribute
{
    public UnsupportedFactAttribute()
    {
        if (KernelFaults.IsSupported)
            Skip = "KernelFaults is supported here";
    }
}
