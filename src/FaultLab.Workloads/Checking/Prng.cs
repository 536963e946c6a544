using System.Numerics;

namespace FaultLab.Workloads.Checking;

/// <summary>
/// xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64. The checker's only source of randomness:
/// its output sequence is fixed by this file, so a seed names the same run on every platform and runtime.
/// </summary>
internal sealed class Prng
{
    ulong s0, s1, s2, s3;

    public Prng(ulong seed)
    {
        var sm = seed;
        s0 = SplitMix64(ref sm);
        s1 = SplitMix64(ref sm);
        s2 = SplitMix64(ref sm);
        s3 = SplitMix64(ref sm);
    }

    /// <summary>A generator with the raw state given (for checking against the reference implementation).</summary>
    public Prng(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0) throw new ArgumentException("xoshiro256** state must not be all zero");
        (this.s0, this.s1, this.s2, this.s3) = (s0, s1, s2, s3);
    }

    /// <summary>One step of SplitMix64: advances <paramref name="state"/> and returns the mixed output.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The seed of run <paramref name="run"/> of a session seeded with <paramref name="seed"/>: run 0 uses the
    /// session seed itself, so that a failing run's seed, given back as the session seed, replays that run first.</summary>
    public static ulong RunSeed(ulong seed, long run)
    {
        if (run == 0) return seed;
        var state = seed ^ ((ulong)run * 0xD1B54A32D192ED03UL);
        return SplitMix64(ref state);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), by Lemire's multiply-shift with rejection.</summary>
    public int Next(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound));
        var b = (ulong)bound;
        while (true)
        {
            var hi = Math.BigMul(NextUInt64(), b, out var lo);
            if (lo >= b || lo >= (0UL - b) % b) return (int)hi;
        }
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive).</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    /// <summary>True with probability <paramref name="percent"/> / 100.</summary>
    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
