using System.Globalization;
using FaultLab.Workloads.Kernel;

namespace FaultLab.Benchmarks.Results;

/// <summary>This machine's real page faults beside the model's, pattern by pattern (same names as the workloads).</summary>
public static class KernelTable
{
    public static Table For(IReadOnlyList<KernelFaultResult> kernel, IReadOnlyList<BenchResult> simulated)
    {
        var table = new Table(("pattern", false), ("pages", true), ("minor", true), ("major", true),
            ("kernel ns/fault", true), ("kernel ns/page", true), ("model ns/fault", true), ("model / kernel", true));
        foreach (var k in kernel)
        {
            var model = simulated.FirstOrDefault(r => r.Workload == k.Pattern && r.Path == "specialized" && r.Job == BenchJobs.Default)
                        ?? simulated.FirstOrDefault(r => r.Workload == k.Pattern && r.Path == "specialized");
            table.Add(k.Pattern, I(k.Pages), I(k.MinorFaults), I(k.MajorFaults), ResultTables.Ns(k.NsPerFault),
                ResultTables.Ns(k.NsPerPage), model is null ? "" : ResultTables.Ns(model.NsPerFault),
                model is null || k.NsPerFault <= 0 ? "" : ResultTables.Ratio(model.NsPerFault / k.NsPerFault));
        }
        return table;
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
