using System.Diagnostics.Tracing;
using FaultLab.Profiling.Collection;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace FaultLab.Profiling.Tests;

public class ProvidersTests
{
    [Fact]
    public void A_cpu_profile_asks_for_samples_and_the_events_that_name_methods()
    {
        var sampler = Assert.Single(Providers.CpuSampling, p => p.Name == "Microsoft-DotNETCore-SampleProfiler");
        var runtime = Assert.Single(Providers.CpuSampling, p => p.Name == "Microsoft-Windows-DotNETRuntime");

        Assert.Equal(EventLevel.Informational, sampler.EventLevel);
        Assert.Equal(EventLevel.Verbose, runtime.EventLevel); // MethodLoadVerbose is a Verbose event
        Assert.Equal((long)(ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader), runtime.Keywords);
    }

    [Fact]
    public void Extra_providers_join_and_a_shared_one_gets_the_union()
    {
        var merged = Providers.Merge(Providers.CpuSampling,
        [
            new EventPipeProvider("FaultLab-Fault", EventLevel.Verbose, 0x1),
            new EventPipeProvider(Providers.Runtime, EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC),
        ]);

        Assert.Equal(3, merged.Count);
        Assert.Contains(merged, p => p.Name == "FaultLab-Fault" && p.Keywords == 0x1);
        var runtime = Assert.Single(merged, p => p.Name == Providers.Runtime);
        Assert.Equal(EventLevel.Verbose, runtime.EventLevel);
        Assert.Equal((long)(ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader | ClrTraceEventParser.Keywords.GC),
            runtime.Keywords);
    }
}
