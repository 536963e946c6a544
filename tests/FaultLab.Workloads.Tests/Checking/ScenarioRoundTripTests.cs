using FaultLab.Core;
using FaultLab.Workloads.Checking;
using FaultLab.Workloads.Scenarios;
using Xunit.Abstractions;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>A run printed as a scenario parses, and the scenario runner reproduces every error the checker saw.</summary>
public class ScenarioRoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void Printed_runs_are_runnable_scenarios_that_fail_where_the_run_failed()
    {
        var checkedRuns = 0;
        for (ulong seed = 1; seed <= 12; seed++)
        {
            var run = ModelChecker.Generate(seed, 200, FaultPath.Generic, ModelChecker.NetBsdMachine);
            Assert.Null(run.Violation);
            if (run.Setup.PageTablePages != RunSetup.DefaultPageTablePages) continue;   // not expressible
            checkedRuns++;

            var lines = ModelChecker.ReplayToScenario(run.Setup, run.Ops, FaultPath.Generic, ModelChecker.NetBsdMachine);
            var scenario = ScenarioParser.Parse($"seed{seed}.flt", string.Join("\n", lines) + "\n");
            Assert.True(scenario.IsValid, string.Join("\n", scenario.Errors));

            var result = ScenarioRunner.Run(scenario);
            var failures = result.Statements.Where(s => !s.Ok).Select(s => $"{s.Line}: {s.Text}: {string.Join("; ", s.Failures)}").ToList();
            if (failures.Count > 0) output.WriteLine(string.Join("\n", lines));
            Assert.True(result.Passed, string.Join("\n", result.Errors.Concat(failures)));
        }
        Assert.True(checkedRuns >= 5, $"only {checkedRuns} runs had an expressible machine");
    }
}
