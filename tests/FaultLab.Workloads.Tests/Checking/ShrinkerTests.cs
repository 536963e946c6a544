using FaultLab.Workloads.Checking;

namespace FaultLab.Workloads.Tests.Checking;

public class ShrinkerTests
{
    [Fact]
    public void A_failure_needing_two_items_among_200_shrinks_to_those_two()
    {
        var items = Enumerable.Range(0, 200).ToList();
        var runs = 0;
        int? Fails(IReadOnlyList<int> c)
        {
            runs++;
            var a = c.ToList().IndexOf(17);
            var b = c.ToList().IndexOf(123);
            return a >= 0 && b > a ? b + 1 : null;       // 17 then 123; the failure shows at 123
        }

        var shrunk = Shrinker.Shrink(items, Fails);

        Assert.Equal([17, 123], shrunk);
        Assert.True(runs < 200, $"{runs} runs");
    }

    [Fact]
    public void Items_are_simplified_while_the_failure_holds()
    {
        var items = new List<int> { 90, 5, 77, 300 };
        int? Fails(IReadOnlyList<int> c) => c.Sum() >= 100 ? c.Count : null;
        IEnumerable<int> Smaller(int x)
        {
            if (x > 0) yield return 0;
            if (x > 1) yield return x / 2;
        }

        var shrunk = Shrinker.Shrink(items, Fails, Smaller);

        Assert.Single(shrunk);
        Assert.InRange(shrunk[0], 100, 199);             // 300 → 150 passes, 150 → 75 does not
    }

    [Fact]
    public void The_failing_prefix_is_kept_and_the_rest_dropped()
    {
        var items = Enumerable.Range(0, 50).ToList();
        int? Fails(IReadOnlyList<int> c) { var i = c.ToList().IndexOf(3); return i >= 0 ? i + 1 : null; }

        Assert.Equal([3], Shrinker.Shrink(items, Fails));
    }

    [Fact]
    public void The_attempt_budget_is_respected()
    {
        var runs = 0;
        int? Fails(IReadOnlyList<int> c) { runs++; return c.Count == 1000 ? c.Count : null; }   // nothing smaller fails

        Shrinker.Shrink(Enumerable.Range(0, 1000).ToList(), Fails, maxAttempts: 25);

        Assert.Equal(25, runs);
    }
}
