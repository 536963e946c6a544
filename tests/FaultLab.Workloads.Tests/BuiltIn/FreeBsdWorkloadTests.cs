using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Workloads.Tests.BuiltIn;

/// <summary>Every built-in workload on the FreeBSD family: steady batches, no allocation, same on every path.</summary>
[Collection(nameof(WorkloadTests))]
public class FreeBsdWorkloadTests
{
    public static TheoryData<string, FaultPath> All()
    {
        var data = new TheoryData<string, FaultPath>();
        foreach (var name in WorkloadCatalog.Names)
            foreach (var path in Enum.GetValues<FaultPath>())
                data.Add(name, path);
        return data;
    }

    [Theory]
    [InlineData("soft-refault", 256, 256)]
    [InlineData("anon-zfod", 256, 256)]
    [InlineData("fork-cow", 256, 256)]   // no neighbours: pmap_prefault is #if 0
    [InlineData("file-read", 256, 256)]  // one page per fault (the pages are resident: no page-in)
    [InlineData("file-seq", 256, 256)]   // 1995's madvise is a stub: the same as file-read
    [InlineData("file-cow", 256, 256)]
    [InlineData("wire", 64, 64)]
    public void A_batch_resolves_the_expected_faults_and_enters_the_expected_pages(string name, int faults, int pages)
    {
        var w = WorkloadCatalog.Create(name)!;
        w.Setup(FaultPath.Generic, MachineFamily.FreeBsd);
        Assert.Equal(faults, w.FaultsPerBatch);
        Assert.Equal(pages, w.PagesPerBatch);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Batches_are_steady_allocate_nothing_and_keep_the_invariants(string name, FaultPath path)
    {
        var w = WorkloadCatalog.Create(name)!;
        w.Setup(path, MachineFamily.FreeBsd);
        Assert.IsType<FreeBsdMachine>(w.Machine);
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
    [MemberData(nameof(Names))]
    public void Every_path_leaves_the_same_state(string name)
    {
        var fingerprints = Enum.GetValues<FaultPath>().Select(path =>
        {
            var w = WorkloadCatalog.Create(name)!;
            w.Setup(path, MachineFamily.FreeBsd);
            for (int i = 0; i < 3; i++)
                w.RunBatch();
            return (w.FaultsPerBatch, w.PagesPerBatch, w.Machine.Fingerprint());
        }).Distinct().ToList();
        Assert.Single(fingerprints);
    }

    public static TheoryData<string> Names() => new(WorkloadCatalog.Names);
}
