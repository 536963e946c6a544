namespace FaultLab.Core.Tests;

/// <summary>How the allocation tests of every family measure a fault: GC.GetAllocatedBytesForCurrentThread around
/// the faulting call only (the set-up steps between calls may allocate), after a warm-up that lets the pools reach
/// their working size outside the measured window.</summary>
internal static class AllocationMeter
{
    public const int Warmup = 64;

    /// <summary>
    /// Runs <paramref name="setup"/> then measures <paramref name="fault"/> (each result checked by
    /// <paramref name="check"/>), over windows of <paramref name="measured"/> calls; returns the bytes of the cleanest
    /// window. A fault path that allocates does so in every window; the runtime now and then allocates a few KB on
    /// the test thread for its own purposes (seen once in thousands of faults, only with other tests in the
    /// process), which one clean window out of three rules out.
    /// </summary>
    public static long BytesPerRun<TResult>(Action<int> setup, Func<int, TResult> fault, Action<int, TResult> check, int measured)
    {
        int i = 0;
        for (; i < Warmup; i++)
        {
            setup(i);
            check(i, fault(i));
        }
        long best = long.MaxValue;
        for (int window = 0; window < 3 && best != 0; window++)
        {
            long total = 0;
            for (int n = 0; n < measured; n++, i++)
            {
                setup(i);
                long before = GC.GetAllocatedBytesForCurrentThread();
                var r = fault(i);
                total += GC.GetAllocatedBytesForCurrentThread() - before;
                check(i, r);
            }
            best = Math.Min(best, total);
        }
        return best;
    }
}
