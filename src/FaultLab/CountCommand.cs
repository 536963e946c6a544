using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FaultLab.Cli.CommandLine;
using FaultLab.Core;
using FaultLab.Profiling.Collection;
using FaultLab.Profiling.Counting;
using FaultLab.Workloads.BuiltIn;
using FaultLab.Workloads;
using FaultLab.Workloads.Output;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab count --workload W [--path P] [--no-inline] [--top N] [--json] [--output FILE]</c>: the exact
/// instructions one warmed batch of a workload executes, per fault and per method, by single-stepping it in a child
/// (<see cref="InstructionCounter"/>). Also the hidden verb that child runs, <see cref="HostVerb"/>.
/// </summary>
internal static class CountCommand
{
    /// <summary>The hidden verb <c>faultlab count-host WORKLOAD --path PATH</c>: <see cref="CountHost.Run"/>.</summary>
    public const string HostVerb = "count-host";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static Command Create(CliContext context)
    {
        var workload = CliOptions.Workload();
        var path = CliOptions.Path();
        var family = CliOptions.Family("the fault-handler family of the workload's machine");
        var noInline = CliOptions.Flag("--no-inline",
            "count with the JIT's inlining off (DOTNET_JitNoInline=1), so that every method's own instructions show; the total then is not the shipped code's");
        var top = new IntegerOption("--top", "methods to list, most instructions first (0: all)", 0, 10_000, 20);
        var json = CliOptions.Json();
        var output = CliOptions.Output();
        var command = new Verb("count", "exact instructions per fault of a workload, per method, by single-stepping one batch", """
            Counts the instructions one batch of a built-in workload executes, exactly: starts the workload in a child
            process (the faultlab dll under the dotnet host, with the JIT's perf map on), runs its batches until the JIT
            has compiled them at their final tier, then single-steps one batch with ptrace and names the method of every
            instruction from the perf map (native code by module and symbol). Prints the instructions per fault and per
            page, and the methods that executed them, each with what the JIT inlined into it. Unlike a timing, the count
            does not move with the machine's load: compare uses it as the noise-free figure. Linux x86-64 only; a batch of
            a few hundred faults takes some seconds (one ptrace stop per instruction).

            Exit status: 0 counted; 1 the count failed (the child ended early, ptrace refused); 2 bad usage.
            """)
        {
            workload, path, family, noInline, top, json, output,
        };
        command.SetAction(parse =>
        {
            var printed = Printed.Open(parse, json, output, context);
            if (!InstructionCounter.Supported)
            {
                context.Stderr.WriteLine("count: needs Linux on x86-64 (ptrace)");
                return ExitCodes.Failed;
            }
            var name = parse.GetValue(workload)!;
            var faultPath = path.Of(parse);
            var pathName = FaultPathNames.NameOf(faultPath);
            var familyName = family.Of(parse).Name;
            var host = new ChildCommand(DotnetHost.Path,
                [typeof(CountCommand).Assembly.Location, HostVerb, name, "--path", pathName, "--family", familyName])
            {
                Environment = parse.GetValue(noInline)
                    ? new Dictionary<string, string> { ["DOTNET_JitNoInline"] = "1" }
                    : new Dictionary<string, string>(),
            };
            context.Interrupt.Kept = "the counted child was stopped; nothing was written";
            InstructionCount count;
            try
            {
                count = InstructionCounter.Count(host, Timeout, context.Interrupt.Token);
            }
            catch (InvalidOperationException e)
            {
                context.Stderr.WriteLine($"count: {Excerpt.Of(e.Message, 400)}");
                return ExitCodes.Failed;
            }
            var methods = parse.GetValue(top) is var n and > 0 ? count.Methods.Take((int)n).ToList() : count.Methods.ToList();
            if (printed.Json)
            {
                printed.Main.WriteLine(JsonSerializer.Serialize(new
                {
                    workload = name,
                    family = familyName,
                    path = pathName,
                    inlining = !parse.GetValue(noInline),
                    instructions = count.Instructions,
                    faults = count.Faults,
                    pages = count.Pages,
                    perFault = Math.Round(count.PerFault, 1),
                    perPage = count.Pages == 0 ? 0 : Math.Round((double)count.Instructions / count.Pages, 1),
                    methods = methods.Select(m => new { method = m.Method, instructions = m.Instructions, perFault = Math.Round((double)m.Instructions / count.Faults, 1) }),
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                printed.Main.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} on the {familyName} family's {pathName} path{(parse.GetValue(noInline) ? " (inlining off)" : "")}: {count.Instructions} instructions for {count.Faults} faults, {count.PerFault:F1} per fault, {(double)count.Instructions / Math.Max(1, count.Pages):F1} per page"));
                var table = new Table("instructions", "per fault", "method");
                foreach (var (method, instructions) in methods)
                    table.Add(instructions.ToString(CultureInfo.InvariantCulture),
                        ((double)instructions / count.Faults).ToString("F1", CultureInfo.InvariantCulture), ShortName(method));
                table.WriteText(printed.Main);
            }
            printed.Finish("count");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateHost(CliContext context)
    {
        var workload = new Argument<string>("WORKLOAD") { Description = "the workload to count" };
        var path = CliOptions.Path();
        var family = CliOptions.Family();
        var command = new Command(HostVerb, "the child of faultlab count: warms a workload up, then runs one batch between markers")
        {
            workload, path, family,
        };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var name = parse.GetValue(workload)!;
            var w = WorkloadCatalog.Create(name)
                ?? throw new UsageException($"unknown workload {Excerpt.Quote(name)}; known: {string.Join(", ", WorkloadCatalog.Names)}", HostVerb);
            return CountHost.Run(w, path.Of(parse), family.Of(parse), TimeSpan.FromSeconds(2), Console.In, context.Stdout);
        });
        return command;
    }

    /// <summary>A perf-map name ("RET [Assembly] Namespace.Class::Method(PARAMS)[Tier]") as Class::Method[Tier];
    /// native code ("[module] symbol") as it is.</summary>
    internal static string ShortName(string method)
    {
        int colons = method.IndexOf("::", StringComparison.Ordinal);
        int paren = method.IndexOf('(');
        if (colons < 0 || paren < colons)
            return method;
        int start = method.LastIndexOf(' ', colons) + 1;
        var qualified = method[start..paren];
        // The class starts after the last '.' outside the brackets of its generic arguments (Pool`1[...VmPage]).
        int dot = -1, depth = 0;
        for (int i = qualified.IndexOf("::", StringComparison.Ordinal) - 1; i >= 0 && dot < 0; i--)
        {
            depth += qualified[i] == ']' ? 1 : qualified[i] == '[' ? -1 : 0;
            if (depth == 0 && qualified[i] == '.')
                dot = i;
        }
        var name = dot >= 0 ? qualified[(dot + 1)..] : qualified;
        int tier = method.LastIndexOf('[');
        return tier > paren ? name + method[tier..] : name;
    }
}
