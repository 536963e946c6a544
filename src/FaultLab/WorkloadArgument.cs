using FaultLab.Workloads.BuiltIn;
using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary>The <c>--workload</c> option of the verbs that run one built-in workload (flame, trace).</summary>
internal static class WorkloadArgument
{
    /// <summary>The workload named, after the verb's options are read: no stray operand, given, and known.</summary>
    public static string Require(Arguments arguments, string? workload, string missing)
    {
        if (arguments.Operands.Count > 0)
            throw arguments.Error($"unexpected argument {Excerpt.Quote(arguments.Operands[0])}");
        if (workload is null)
            throw arguments.Error(missing);
        if (WorkloadCatalog.Create(workload) is null)
            throw arguments.Error($"unknown workload {Excerpt.Quote(workload)}; known: {string.Join(", ", WorkloadCatalog.Names)}");
        return workload;
    }
}
