using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using FaultLab.Core;

namespace FaultLab.Core.Tests;

/// <summary>The fault-stage events: what a fault emits, in order, when the source is enabled.</summary>
[Collection(nameof(AllocationTests))] // enabling the source must not overlap the allocation tests
public class FaultEventsTests
{
    private sealed class Recorder : EventListener
    {
        public readonly ConcurrentQueue<string> Events = new();
        public int Thread = Environment.CurrentManagedThreadId;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "FaultLab-Fault")
                EnableEvents(source, EventLevel.Verbose);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (Environment.CurrentManagedThreadId != Thread)
                return; // other tests' faults
            Events.Enqueue(e.EventName == "Stage" ? $"Stage {(FaultStage)(int)e.Payload![0]!}" : e.EventName!);
        }
    }

    [Theory]
    [InlineData(FaultPath.Generic)]
    [InlineData(FaultPath.Specialized)]
    [InlineData(FaultPath.Monomorphized)]
    public void A_first_touch_emits_check_twice_then_upper_lookup_promote_and_enter(FaultPath path)
    {
        var m = T.NewMachine(path: path);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        using var recorder = new Recorder();
        m.Write(p, 0x10000, 1);
        Assert.Equal(
            ["FaultStart", "Stage Check", "Stage Check", "Stage UpperLookup", "Stage Promote", "Stage Enter", "FaultStop"],
            recorder.Events.ToArray());
    }

    [Fact]
    public void A_file_read_emits_the_lower_lookup_and_a_page_in_emits_lower_io()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.Read, MapKind.FileShared, f));
        using var recorder = new Recorder();
        m.Read(p, 0x10000);
        Assert.Equal(
            ["FaultStart", "Stage Check", "Stage UpperLookup", "Stage LowerLookup", "Stage LowerIo", "Stage Enter", "FaultStop"],
            recorder.Events.ToArray());
    }

    [Fact]
    public void The_source_is_named_FaultLab_Fault_and_disabled_by_default()
    {
        Assert.Equal("FaultLab-Fault", FaultEvents.Log.Name);
        Assert.False(FaultEvents.Log.IsEnabled());
    }
}
