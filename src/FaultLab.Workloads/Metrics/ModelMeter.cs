using System.Diagnostics.Metrics;
using FaultLab.Core;

namespace FaultLab.Workloads.Metrics;

/// <summary>
/// The model's counters as a <see cref="Meter"/> named <see cref="Name"/>, for <c>dotnet-counters</c> (and any
/// OpenTelemetry or EventPipe metrics listener): one observable counter per family-neutral counter
/// (<c>faultlab.faults</c>, <c>faultlab.resolved</c>, <c>faultlab.minor</c>, <c>faultlab.major</c>, <c>faultlab.zerofills</c>,
/// <c>faultlab.copies</c>, <c>faultlab.pageins</c>) and <c>faultlab.by_outcome</c>, the resolved faults by their
/// <c>outcome</c> tag (1A, 1B, 2A, 2B-zero, 2B-copy), summed over the machines this process asked to be observed,
/// which dotnet-counters shows as rates (faults/s). Nothing is added to the fault path: the counters are read only
/// when a listener collects, through <see cref="CounterReader"/>.
/// <code>dotnet-counters monitor --counters FaultLab.Model -- dotnet faultlab.dll bench --quick</code>
/// </summary>
public static class ModelMeter
{
    public const string Name = "FaultLab.Model";

    private static readonly Meter Meter = new(Name);
    private static readonly List<WeakReference<IMachine>> Machines = [];

    static ModelMeter()
    {
        foreach (var counter in CounterReader.Neutral)
        {
            Meter.CreateObservableCounter($"faultlab.{counter}", () => Sum(counter), Unit(counter),
                $"the model's {counter} counter, summed over the observed machines");
        }
        Meter.CreateObservableCounter("faultlab.by_outcome",
            () => CounterReader.Outcomes.Select(o => new Measurement<long>(Sum(o.Counter), new KeyValuePair<string, object?>("outcome", o.Outcome))),
            "{fault}", "resolved faults by how uvm_fault resolved them");
    }

    /// <summary>Publishes <paramref name="machine"/>'s counters (until it is collected).</summary>
    public static void Observe(IMachine machine)
    {
        lock (Machines)
        {
            Machines.RemoveAll(w => !w.TryGetTarget(out _));
            Machines.Add(new WeakReference<IMachine>(machine));
        }
    }

    /// <summary>What the instrument of <paramref name="counter"/> reports now.</summary>
    public static long Sum(string counter)
    {
        long sum = 0;
        lock (Machines)
        {
            foreach (var weak in Machines)
            {
                if (weak.TryGetTarget(out var machine) && CounterReader.TryRead(machine, counter, out var value))
                    sum += value;
            }
        }
        return sum;
    }

    private static string Unit(string counter) => counter switch
    {
        "zerofills" or "copies" or "pageins" => "{page}",
        _ => "{fault}",
    };
}
