// The verbs that check the model run its checked configuration (every KASSERT evaluated); the benchmarks and
// the profiling verbs measure the model without it. Chosen before anything touches the model.
if (args is ["fuzz" or "scenario" or "run", ..])
    AppContext.SetSwitch(FaultLab.Core.ModelChecks.Switch, true);

// The hidden host verbs run as children of a recording or a JIT listing: their parent ends them, so they keep the
// runtime's own signal handling. Every other verb handles SIGINT, SIGTERM and SIGHUP through Interrupt.
using var interrupt = args is [FaultLab.Cli.FlameCommand.HostVerb or FaultLab.Cli.Diff.JitCollector.HostVerb
        or FaultLab.Cli.QuickBenchChild.HostVerb or FaultLab.Cli.CountCommand.HostVerb, ..]
    ? new FaultLab.Cli.Interrupt()
    : FaultLab.Cli.Interrupt.OnSignals();
return FaultLab.Cli.Cli.Run(args, Console.Out, Console.Error, interrupt);
