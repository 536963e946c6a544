using System.Reflection;
using BenchmarkDotNet.Attributes;
using FaultLab.Benchmarks.Suites;
using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Benchmarks.Tests;

/// <summary>The BenchmarkDotNet suites' shape: one per workload, per-fault figures, the baselines in place.</summary>
public class SuiteTests
{
    public static TheoryData<string> Workloads() => new(WorkloadCatalog.Names);

    [Fact]
    public void Every_workload_has_exactly_one_suite()
    {
        Assert.Equal(WorkloadCatalog.Names, SuiteCatalog.All.Select(s => s.Workload));
        Assert.Equal(SuiteCatalog.All.Count, SuiteCatalog.All.Select(s => s.Type).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void The_suite_constant_is_the_faults_a_batch_resolves_on_every_path(string name)
    {
        var suite = SuiteCatalog.For(name)!;
        var declared = (int)suite.Type.GetField("Faults", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
        Assert.Equal(declared, suite.Faults);
        foreach (var path in Enum.GetValues<FaultPath>())
        {
            var workload = WorkloadCatalog.Create(name)!;
            workload.Setup(path);
            Assert.True(workload.FaultsPerBatch == declared,
                $"{suite.Type.Name}.Faults = {declared}, but a {name} batch resolves {workload.FaultsPerBatch} faults on {path}");
        }
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void The_suite_measures_every_path_per_fault_against_the_generic_baseline_and_its_floor(string name)
    {
        var suite = SuiteCatalog.For(name)!;
        var benchmarks = suite.Type.GetMethods()
            .Select(m => (m.Name, Attribute: m.GetCustomAttribute<BenchmarkAttribute>()))
            .Where(b => b.Attribute is not null)
            .ToDictionary(b => b.Name, b => b.Attribute!);
        var floor = WorkloadCatalog.Create(name)!.Floor;
        var expected = Enum.GetNames<FaultPath>().ToList();
        if (floor != DataFloor.None)
            expected.Add(floor.ToString());

        Assert.Equal(expected.Order(), benchmarks.Keys.Order());
        Assert.All(benchmarks.Values, b => Assert.Equal(suite.Faults, b.OperationsPerInvoke));
        Assert.Equal([nameof(FaultPath.Generic)], benchmarks.Where(b => b.Value.Baseline).Select(b => b.Key));
        Assert.True(typeof(WorkloadBenchmark).IsAssignableFrom(suite.Type));
    }

    [Fact]
    public void Suites_carry_the_memory_diagnoser()
    {
        Assert.All(SuiteCatalog.All, s => Assert.NotNull(s.Type.GetCustomAttribute<MemoryDiagnoserAttribute>(inherit: true)));
    }

    [Fact]
    public void Setup_refuses_a_constant_that_does_not_match_the_workload()
    {
        var wrong = new WrongFaults();
        var error = Assert.Throws<InvalidOperationException>(wrong.Setup);
        Assert.Contains("resolves 256 faults", error.Message);
    }

    public class WrongFaults() : WorkloadBenchmark("soft-refault", 255);

    [Fact]
    public void BenchmarkDotNets_own_diagnosers_and_exporters_are_in_the_config()
    {
        var plain = Running.SuiteRunner.Config(new Running.SuiteOptions());
        var asked = Running.SuiteRunner.Config(new Running.SuiteOptions { Disassembly = true, EventPipe = true });

        Assert.Equal(["MemoryDiagnoser"], plain.GetDiagnosers().Select(d => d.GetType().Name));
        Assert.Equal(["DisassemblyDiagnoser", "EventPipeProfiler", "MemoryDiagnoser"], asked.GetDiagnosers().Select(d => d.GetType().Name).Order());
        Assert.Equal(["CsvExporter", "HtmlExporter", "MarkdownExporter"], plain.GetExporters().Select(e => e.GetType().Name).Order());
    }
}
