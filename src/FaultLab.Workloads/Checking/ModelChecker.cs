// PLACEHOLDER, replaced when the checker branch is merged: the API the CLI calls, running nothing.
namespace FaultLab.Workloads.Checking;

public sealed record CheckerOptions
{
    public ulong Seed { get; init; } = 1;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public int? MaxRuns { get; init; }
    public int StepsPerRun { get; init; } = 200;
    public FaultLab.Core.FaultPath Path { get; init; } = FaultLab.Core.FaultPath.Generic;
}

public sealed record CheckFailure(ulong Seed, string Violation, IReadOnlyList<string> ShrunkOperations);

public sealed record CheckResult(long Runs, long Operations, CheckFailure? Failure);

public static class ModelChecker
{
    public static CheckResult Run(CheckerOptions options, Action<CheckResult>? progress = null) => new(0, 0, null);
}
