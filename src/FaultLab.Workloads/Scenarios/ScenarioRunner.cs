using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>Runs a parsed scenario on a fresh machine, statement by statement, to the end of the file.</summary>
public static class ScenarioRunner
{
    /// <exception cref="ArgumentException">The scenario has parse errors: such a file must not run at all.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled (checked before each
    /// statement).</exception>
    public static ScenarioResult Run(Scenario scenario, FaultPath path = FaultPath.Generic, CancellationToken cancellation = default)
    {
        if (!scenario.IsValid)
        {
            throw new ArgumentException($"{scenario.File} has parse errors and cannot run", nameof(scenario));
        }

        var machine = scenario.Family.Create(ConfigFor(scenario, path));
        var execution = new ScenarioExecution(machine);
        var results = ImmutableArray.CreateBuilder<StatementResult>(scenario.Statements.Length);
        foreach (var statement in scenario.Statements)
        {
            cancellation.ThrowIfCancellationRequested();
            var text = StatementText.Format(statement);
            try
            {
                results.Add(execution.Execute(statement, text));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A model that throws has broken its own contract ("nothing here throws"); its state is now
                // unknown, so the rest of the file would only report noise.
                results.Add(new StatementResult(statement.Line, text, "exception")
                {
                    Failures = [$"expected no exception, got {e.GetType().Name}: {e.Message} (the run of this file stops here)"],
                });
                break;
            }
        }
        return new ScenarioResult(scenario.File, results.ToImmutable(), [])
        {
            Family = scenario.Family,
            Fingerprint = FingerprintOf(machine),
        };
    }

    private static ulong? FingerprintOf(IMachine machine)
    {
        try
        {
            return machine.Fingerprint();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only after a statement threw: the transcript already says so.
            return null;
        }
    }

    /// <summary>The machine a scenario asks for: its <c>machine</c> statement over <see cref="MachineConfig"/>'s defaults.</summary>
    internal static MachineConfig ConfigFor(Scenario scenario, FaultPath path)
    {
        var config = new MachineConfig { Path = path };
        if (scenario.Statements.FirstOrDefault() is MachineStatement m)
        {
            config = config with
            {
                Pages = m.Pages ?? config.Pages,
                SwapSlots = m.SwapSlots ?? config.SwapSlots,
            };
        }
        return config;
    }
}
