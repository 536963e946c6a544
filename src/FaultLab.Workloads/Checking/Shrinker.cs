namespace FaultLab.Workloads.Checking;

/// <summary>
/// Delta debugging over a list (Zeller's ddmin, greedy form): remove ever smaller chunks, then single items, then
/// try simpler versions of each item, and repeat until nothing more goes. A candidate is kept only if it still
/// fails.
/// </summary>
internal static class Shrinker
{
    /// <param name="items">A failing list.</param>
    /// <param name="fails">Runs a candidate: the length of its prefix that fails (everything after the failure is
    /// dropped), or null if the candidate passes.</param>
    /// <param name="simplify">Simpler variants of one item, simplest first (none by default).</param>
    /// <param name="maxAttempts">How many candidates to try at most.</param>
    public static List<T> Shrink<T>(IReadOnlyList<T> items, Func<IReadOnlyList<T>, int?> fails,
        Func<T, IEnumerable<T>>? simplify = null, int maxAttempts = 10_000)
    {
        var current = items.ToList();
        var attempts = 0;

        bool Try(List<T> candidate)
        {
            if (attempts >= maxAttempts) return false;
            attempts++;
            if (fails(candidate) is not { } failing) return false;
            if (failing < candidate.Count) candidate.RemoveRange(failing, candidate.Count - failing);
            current = candidate;
            return true;
        }

        bool progress;
        do
        {
            progress = false;
            for (var chunk = Math.Max(1, current.Count / 2); chunk >= 1; chunk /= 2)
            {
                for (var i = 0; i < current.Count;)
                {
                    var n = Math.Min(chunk, current.Count - i);
                    var candidate = new List<T>(current.Count - n);
                    candidate.AddRange(current.Take(i));
                    candidate.AddRange(current.Skip(i + n));
                    if (Try(candidate)) progress = true;
                    else i += chunk;
                }
            }
            if (simplify is not null)
            {
                for (var i = 0; i < current.Count; i++)
                {
                    foreach (var simpler in simplify(current[i]))
                    {
                        if (EqualityComparer<T>.Default.Equals(simpler, current[i])) continue;
                        var candidate = new List<T>(current) { [i] = simpler };
                        if (Try(candidate))
                        {
                            progress = true;
                            break;
                        }
                    }
                }
            }
        }
        while (progress && attempts < maxAttempts);
        return current;
    }
}
