using System.Diagnostics;

namespace FaultLab.Benchmarks.Quick;

/// <summary>
/// One thing the quick bench times (a workload on one path, or a data floor): its batch, how many operations
/// (faults or pages) a batch does, and the samples taken so far.
/// </summary>
internal sealed class Series(string name, Action batch, int operationsPerBatch, int rounds)
{
    public string Name { get; } = name;

    public int OperationsPerBatch { get; } = operationsPerBatch;

    public int BatchesPerSample { get; private set; } = 1;

    /// <summary>Nanoseconds per operation, one per sample.</summary>
    public List<double> Samples { get; } = new(rounds);

    public long AllocatedBytes { get; private set; }

    public long MeasuredOperations { get; private set; }

    /// <summary>Runs batches for about <paramref name="time"/> (at least one), not measured.</summary>
    public void RunFor(TimeSpan time)
    {
        var end = Stopwatch.GetTimestamp() + (long)(time.TotalSeconds * Stopwatch.Frequency);
        do
            batch();
        while (Stopwatch.GetTimestamp() < end);
    }

    /// <summary>Picks the whole number of batches a sample of about <paramref name="time"/> takes.</summary>
    public void Calibrate(TimeSpan time)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(time.TotalSeconds / 4 * Stopwatch.Frequency);
        long batches = 0;
        long now;
        do
        {
            batch();
            batches++;
            now = Stopwatch.GetTimestamp();
        }
        while (now < end);
        var perBatch = (double)(now - start) / Stopwatch.Frequency / batches;
        BatchesPerSample = (int)Math.Clamp(Math.Round(time.TotalSeconds / perBatch), 1, 1_000_000);
    }

    /// <summary>One sample: time and GC allocation of <see cref="BatchesPerSample"/> batches.</summary>
    public void Sample()
    {
        int n = BatchesPerSample;
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
            batch();
        long end = Stopwatch.GetTimestamp();
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        long operations = (long)n * OperationsPerBatch;
        Samples.Add((end - start) * 1e9 / Stopwatch.Frequency / operations);
        AllocatedBytes += bytes;
        MeasuredOperations += operations;
    }
}
