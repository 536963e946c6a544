using System.Globalization;
using FaultLab.Workloads.Output;
using FaultLab.Workloads.Kernel;

namespace FaultLab.Benchmarks.Results;

/// <summary>
/// This machine's real page faults beside the model's, pattern by pattern (same names as the workloads). Per page
/// is the figure that compares: a kernel read fault on a file maps up to 16 pages (fault-around), the model's 2A
/// fault its neighbours, so per fault they count different things.
/// </summary>
public static class KernelTable
{
    public static Table For(IReadOnlyList<KernelFaultResult> kernel, IReadOnlyList<BenchResult> simulated)
    {
        var table = new Table(("pattern", false), ("pages", true), ("minor", true), ("major", true),
            ("kernel ns/fault", true), ("kernel ns/page", true), ("model ns/fault", true), ("model ns/page", true),
            ("model/kernel per page", true));
        foreach (var k in kernel)
        {
            var model = simulated.FirstOrDefault(r => r.Workload == k.Pattern && r.Path == "specialized" && r.Job == BenchJobs.Default)
                        ?? simulated.FirstOrDefault(r => r.Workload == k.Pattern && r.Path == "specialized");
            table.Add(k.Pattern, I(k.Pages), I(k.MinorFaults), I(k.MajorFaults), Ns(k.NsPerFault), Ns(k.NsPerPage),
                model is null ? "" : ResultTables.Ns(model.NsPerFault), model is null ? "" : ResultTables.Ns(model.NsPerPage),
                model is null || !(k.NsPerPage > 0) ? "" : ResultTables.Ratio(model.NsPerPage / k.NsPerPage));
        }
        return table;
    }

    private static string Ns(double ns) => double.IsFinite(ns) ? ResultTables.Ns(ns) : "n/a";

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
