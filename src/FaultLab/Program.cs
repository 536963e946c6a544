return FaultLab.Cli.Cli.Run(args, Console.Out, Console.Error);
