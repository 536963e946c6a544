using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using FaultLab.Benchmarks.Running;
using FaultLab.Benchmarks.Suites;

// The suites under BenchmarkDotNet's own command line (e.g. --filter '*SoftRefault*'), with the lab's jobs:
// the default job and tiering off. `faultlab bench` is the usual way in; this is for BenchmarkDotNet's options.
BenchmarkSwitcher
    .FromTypes([.. SuiteCatalog.All.Select(s => s.Type)])
    .Run(args, SuiteRunner.Config(new SuiteOptions(), ConsoleLogger.Default));
