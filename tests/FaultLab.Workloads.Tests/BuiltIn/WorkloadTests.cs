using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Workloads.Tests.BuiltIn;

/// <summary>The built-in workloads on every family: steady batches, the faults they are named for, no allocation,
/// same on every path.</summary>
[Collection(nameof(WorkloadTests))]
public class WorkloadTests
{
    public static TheoryData<string, string, FaultPath> All()
    {
        var data = new TheoryData<string, string, FaultPath>();
        foreach (var name in WorkloadCatalog.Names)
            foreach (var family in MachineCatalog.BuiltIn.Names)
                foreach (var path in Enum.GetValues<FaultPath>())
                    data.Add(name, family, path);
        return data;
    }

    private static MachineFamily Family(string name) => MachineCatalog.BuiltIn.Find(name)!;

    [Theory]
    [InlineData("soft-refault", "netbsd", 256, 256)]
    [InlineData("anon-zfod", "netbsd", 256, 256)]
    [InlineData("fork-cow", "netbsd", 256, 511)] // each write also enters the next shared anon read-only
    [InlineData("file-read", "netbsd", 52, 256)]
    [InlineData("file-seq", "netbsd", 32, 256)]
    [InlineData("file-cow", "netbsd", 256, 511)] // each write also enters the next file page read-only
    [InlineData("wire", "netbsd", 64, 64)]
    [InlineData("soft-refault", "freebsd", 256, 256)]
    [InlineData("anon-zfod", "freebsd", 256, 256)]
    [InlineData("fork-cow", "freebsd", 256, 256)]   // no neighbours: pmap_prefault is #if 0
    [InlineData("file-read", "freebsd", 256, 256)]  // one page per fault (the pages are resident: no page-in)
    [InlineData("file-seq", "freebsd", 256, 256)]   // 1995's madvise is a stub: the same as file-read
    [InlineData("file-cow", "freebsd", 256, 256)]
    [InlineData("wire", "freebsd", 64, 64)]
    public void A_batch_resolves_the_expected_faults_and_enters_the_expected_pages(string name, string family, int faults, int pages)
    {
        var w = WorkloadCatalog.Create(name)!;
        w.Setup(FaultPath.Generic, Family(family));
        Assert.Equal(faults, w.FaultsPerBatch);
        Assert.Equal(pages, w.PagesPerBatch);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Batches_are_steady_allocate_nothing_and_keep_the_invariants(string name, string family, FaultPath path)
    {
        var w = WorkloadCatalog.Create(name)!;
        w.Setup(path, Family(family));
        Assert.Same(Family(family), w.Machine.Family);
        for (int i = 0; i < 3; i++)
            Assert.Equal((w.FaultsPerBatch, w.PagesPerBatch), w.Measure());
        long best = long.MaxValue;
        for (int window = 0; window < 3 && best != 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
                w.RunBatch();
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, best);
        var violations = w.Machine.CheckInvariants();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Theory]
    [MemberData(nameof(NamesAndFamilies))]
    public void Every_path_leaves_the_same_state(string name, string family)
    {
        var fingerprints = Enum.GetValues<FaultPath>().Select(path =>
        {
            var w = WorkloadCatalog.Create(name)!;
            w.Setup(path, Family(family));
            for (int i = 0; i < 3; i++)
                w.RunBatch();
            return (w.FaultsPerBatch, w.PagesPerBatch, w.Machine.Fingerprint());
        }).Distinct().ToList();
        Assert.Single(fingerprints);
    }

    public static TheoryData<string, string> NamesAndFamilies()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in WorkloadCatalog.Names)
            foreach (var family in MachineCatalog.BuiltIn.Names)
                data.Add(name, family);
        return data;
    }

    [Fact]
    public void The_catalog_knows_every_name_and_nothing_else()
    {
        foreach (var name in WorkloadCatalog.Names)
            Assert.Equal(name, WorkloadCatalog.Create(name)!.Name);
        Assert.Null(WorkloadCatalog.Create("no-such-workload"));
    }

    [Fact]
    public void Floors_are_declared_for_the_workloads_that_zero_or_copy_pages()
    {
        Assert.Equal(DataFloor.ZeroPage, WorkloadCatalog.Create("anon-zfod")!.Floor);
        Assert.Equal(DataFloor.CopyPage, WorkloadCatalog.Create("fork-cow")!.Floor);
        Assert.Equal(DataFloor.CopyPage, WorkloadCatalog.Create("file-cow")!.Floor);
        Assert.Equal(DataFloor.None, WorkloadCatalog.Create("soft-refault")!.Floor);
    }
}

[CollectionDefinition(nameof(WorkloadTests), DisableParallelization = true)]
public sealed class WorkloadTestsCollection;
