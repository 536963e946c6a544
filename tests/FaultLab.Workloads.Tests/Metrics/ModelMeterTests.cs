using System.Diagnostics.Metrics;
using FaultLab.Core;
using FaultLab.Workloads.BuiltIn;
using FaultLab.Workloads.Metrics;

namespace FaultLab.Workloads.Tests.Metrics;

/// <summary>The model's counters as the FaultLab.Model meter: what dotnet-counters (or any MeterListener) reads.</summary>
public class ModelMeterTests
{
    [Fact]
    public void The_meter_publishes_every_neutral_counter_of_an_observed_machine()
    {
        var workload = WorkloadCatalog.Create("anon-zfod")!;
        workload.Setup(FaultPath.Generic);
        ModelMeter.Observe(workload.Machine);
        var before = Collect();
        workload.RunBatch();
        var after = Collect();

        Assert.Equal(CounterReader.Neutral.Select(n => $"faultlab.{n}").Concat(CounterReader.Outcomes.Select(o => $"faultlab.by_outcome/{o.Outcome}")).Order(),
            after.Keys.Order());
        Assert.True(after["faultlab.by_outcome/2B-zero"] - before["faultlab.by_outcome/2B-zero"] >= workload.FaultsPerBatch);
        Assert.Equal(before["faultlab.by_outcome/1B"], after["faultlab.by_outcome/1B"]);
        // A batch of anon-zfod is zero fills: faults and zero fills grow by the batch's faults.
        Assert.True(after["faultlab.faults"] - before["faultlab.faults"] >= workload.FaultsPerBatch);
        Assert.True(after["faultlab.zerofills"] - before["faultlab.zerofills"] >= workload.FaultsPerBatch);
        Assert.True(CounterReader.TryRead(workload.Machine, "faults", out var faults) && faults > 0);
        Assert.False(CounterReader.TryRead(workload.Machine, "no-such-counter", out _));
    }

    /// <summary>One collection of the meter's observable instruments, by instrument name.</summary>
    private static Dictionary<string, long> Collect()
    {
        var values = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ModelMeter.Name)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var name = tags.Length == 0 ? instrument.Name : $"{instrument.Name}/{tags[0].Value}";
            lock (values)
                values[name] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}
