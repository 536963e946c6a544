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

    /// <summary>GC bytes this thread allocated per operation over the samples. A GC moves this thread's counter by
    /// up to the unused part of its allocation context with nothing allocated, so samples during which a GC ran
    /// (another thread's, or a background one) are left out, unless every sample saw one.</summary>
    public double BytesPerOperation =>
        clean.Operations > 0 ? (double)clean.Bytes / clean.Operations
        : all.Operations > 0 ? (double)all.Bytes / all.Operations
        : 0;

    private (long Bytes, long Operations) clean, all;

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
        int collections = GC.CollectionCount(0);
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
            batch();
        long end = Stopwatch.GetTimestamp();
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        bool collected = GC.CollectionCount(0) != collections;
        long operations = (long)n * OperationsPerBatch;
        Samples.Add((end - start) * 1e9 / Stopwatch.Frequency / operations);
        all = (all.Bytes + bytes, all.Operations + operations);
        if (!collected)
            clean = (clean.Bytes + bytes, clean.Operations + operations);
    }
}
