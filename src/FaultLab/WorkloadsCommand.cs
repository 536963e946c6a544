using System.CommandLine;
using System.Text.Json;
using FaultLab.Benchmarks.Floors;
using FaultLab.Cli.CommandLine;
using FaultLab.Workloads.BuiltIn;
using FaultLab.Workloads.Output;

namespace FaultLab.Cli;

/// <summary><c>faultlab workloads [--json] [--output FILE]</c>: every built-in workload and what it measures.</summary>
internal static class WorkloadsCommand
{
    public static Command Create(CliContext context)
    {
        var json = CliOptions.Json();
        var output = CliOptions.Output();
        var command = new Verb("workloads", "list the built-in workloads and what each measures", $"""
            Lists the built-in workloads that bench, flame and trace run: each one's name, the data floor its figures
            are compared with (zeroing or copying one 4 KiB page, or none) and what it measures. A scenario file of
            your own benches too: faultlab bench --scenario FILE.flt (its statements after a '{ScenarioWorkload.Marker}'
            line are the batch).

            Exit status: 0; 2 bad usage.
            """)
        {
            json, output,
        };
        command.SetAction(parse =>
        {
            var printed = Printed.Open(parse, json, output, context);
            var workloads = WorkloadCatalog.Names.Select(n => WorkloadCatalog.Create(n)!).ToList();
            if (printed.Json)
            {
                printed.Main.WriteLine(JsonSerializer.Serialize(
                    workloads.Select(w => new { name = w.Name, floor = FloorName(w), measures = w.Description }),
                    new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                var table = new Table("workload", "floor", "measures");
                foreach (var w in workloads)
                    table.Add(w.Name, FloorName(w) ?? "", w.Description);
                table.WriteText(printed.Main);
            }
            printed.Finish("workloads");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? FloorName(Workload workload) =>
        workload.Floor == DataFloor.None ? null : PageFloor.NameOf(workload.Floor);
}
