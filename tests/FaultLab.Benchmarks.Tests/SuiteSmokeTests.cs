using FaultLab.Benchmarks.Results;
using FaultLab.Benchmarks.Running;
using FaultLab.Benchmarks.Suites;

namespace FaultLab.Benchmarks.Tests;

/// <summary>
/// CI's smoke of the BenchmarkDotNet suites: every suite under BenchmarkDotNet's Dry job, in this process. It proves
/// that the suites run and that their reports turn into result rows; its figures mean nothing.
/// </summary>
[Collection(nameof(BenchCollection))]
public class SuiteSmokeTests
{
    [Fact]
    public void Every_suite_runs_dry_and_yields_a_row_per_workload_and_path()
    {
        var artifacts = Directory.CreateTempSubdirectory("faultlab-bdn-");
        try
        {
            var lines = new List<string>();
            var run = SuiteRunner.Run(new SuiteOptions
            {
                Toolchain = SuiteToolchain.InProcess,
                Length = SuiteLength.Dry,
                ArtifactsPath = artifacts.FullName,
            }, lines.Add);

            Assert.True(run.Errors.Count == 0, string.Join("\n", run.Errors));
            var expected = SuiteCatalog.All.SelectMany(s => FaultLab.Core.FaultPathNames.All.Select(p => $"{s.Workload}/{p}/{BenchJobs.Default}"));
            Assert.Equal(expected.Order(), run.Results.Select(r => r.Key).Order());
            Assert.All(run.Results.Where(r => r.Path == "generic"), r => Assert.Equal(1.0, r.RatioToGeneric));
            Assert.All(run.Results, r => Assert.Equal(r.Floor is not null, r.FloorNs is not null && r.RatioToFloor is not null));
            Assert.Equal(["anon-zfod", "fork-cow", "file-cow"], run.Results.Where(r => r.Floor is not null).Select(r => r.Workload).Distinct());
            var total = SuiteCatalog.All.Sum(s => s.Type.GetMethods().Count(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)));
            Assert.Equal(total, lines.Count(l => l.StartsWith('[')));
        }
        finally
        {
            artifacts.Delete(recursive: true);
        }
    }

    [Fact]
    public void Out_of_process_runs_add_the_tiering_off_job()
    {
        var jobs = SuiteRunner.Jobs(new SuiteOptions());
        Assert.Equal([BenchJobs.Default, BenchJobs.TieringOff], jobs.Select(j => j.Id));
        Assert.Contains(jobs[1].Environment.EnvironmentVariables, v => v.Key == "DOTNET_TieredCompilation" && v.Value == "0");
        Assert.Equal([BenchJobs.Default], SuiteRunner.Jobs(new SuiteOptions { Toolchain = SuiteToolchain.InProcess }).Select(j => j.Id));
    }
}

[CollectionDefinition(nameof(BenchCollection), DisableParallelization = true)]
public sealed class BenchCollection;
