// The verbs that check the model run its checked configuration (every KASSERT evaluated); the benchmarks and
// the profiling verbs measure the model without it. Chosen before anything touches the model.
if (args is ["fuzz" or "scenario" or "run", ..])
    AppContext.SetSwitch(FaultLab.Core.ModelChecks.Switch, true);
return FaultLab.Cli.Cli.Run(args, Console.Out, Console.Error);
