using FaultLab.Core;
using FaultLab.Workloads.Checking;
using Xunit.Abstractions;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>The checker's machinery against a reference target that is correct by construction, and against
/// a deliberately broken one.</summary>
public class CheckerMachineryTests(ITestOutputHelper output)
{
    [Fact]
    public void A_correct_target_passes()
    {
        var result = ModelChecker.Run(new CheckerOptions { Seed = 3, MaxRuns = 40, StepsPerRun = 300 }, null,
            ReferenceTarget.Create);

        Assert.Null(result.Failure);
        Assert.Equal(40, result.Runs);
        Assert.True(result.Operations > 40 * 250, $"{result.Operations} operations");
    }

    [Fact]
    public void The_same_seed_gives_the_same_operations()
    {
        var a = ModelChecker.Generate(99, 200, FaultPath.Generic, ReferenceTarget.Create);
        var b = ModelChecker.Generate(99, 200, FaultPath.Generic, ReferenceTarget.Create);
        var c = ModelChecker.Generate(100, 200, FaultPath.Generic, ReferenceTarget.Create);

        Assert.Equal(a.Setup.HeaderLines(), b.Setup.HeaderLines());
        Assert.Equal(a.Ops.Select(o => o.ToScenario()), b.Ops.Select(o => o.ToScenario()));
        Assert.NotEqual(a.Ops.Select(o => o.ToScenario()), c.Ops.Select(o => o.ToScenario()));
    }

    [Fact]
    public void Generated_runs_exercise_every_kind_of_operation()
    {
        var printed = Enumerable.Range(1, 10)
            .SelectMany(s => ModelChecker.Generate((ulong)s, 300, FaultPath.Generic, ReferenceTarget.Create).Ops)
            .Select(o => o.ToScenario())
            .ToList();

        foreach (var word in new[] { " mmap ", "anon private", "anon shared", "private wired", " shared", "file=",
                     " munmap ", " mprotect ", " madvise ", " mlock ", " munlock ", " loan ", " unloan ", " fork ",
                     " exit", " read ", " write ", "pageout ", "pagedaemon ", "reset counters" })
            Assert.Contains(printed, line => line.Contains(word, StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_target_is_caught_and_shrunk_to_a_handful_of_operations()
    {
        var result = ModelChecker.Run(new CheckerOptions { Seed = 5, MaxRuns = 50, StepsPerRun = 200 }, null,
            config => new ChildReadFlipper(ReferenceTarget.Create(config)));

        var failure = Assert.IsType<CheckFailure>(result.Failure);
        output.WriteLine(string.Join("\n", failure.ShrunkOperations));
        Assert.Contains("value", failure.Violation);
        var ops = failure.ShrunkOperations
            .Where(l => !l.StartsWith('#') && !l.StartsWith("machine ") && !l.StartsWith("file ") && !l.StartsWith("proc "))
            .ToList();
        Assert.InRange(ops.Count, 2, 5);
        Assert.Contains(ops, l => l.Contains(" fork ", StringComparison.Ordinal));
        Assert.Contains(ops, l => l.Contains(" read ", StringComparison.Ordinal));
        Assert.StartsWith("machine ", failure.ShrunkOperations[0]);

        // The reported seed reproduces the failure as the first run.
        var again = ModelChecker.Run(new CheckerOptions { Seed = failure.Seed, MaxRuns = 1, StepsPerRun = 200 }, null,
            config => new ChildReadFlipper(ReferenceTarget.Create(config)));
        Assert.NotNull(again.Failure);
        Assert.Equal(failure.Seed, again.Failure.Seed);
        Assert.Equal(failure.Violation, again.Failure.Violation);
        Assert.Equal(failure.ShrunkOperations, again.Failure.ShrunkOperations);
    }

    [Fact]
    public void Forks_a_failure_does_not_need_are_merged_into_their_parents()
    {
        List<Op> ops =
        [
            new MmapOp("p1", 0x1e8000, 2, Prot.ReadWrite, MapKind.AnonPrivate, null, 0, false),
            new ForkOp("p1", "p2"),
            new ForkOp("p2", "p3"),
            new ReadOp("p1", 0x1e8000),
            new WriteOp("p3", 0x1e8000, 7),
            new ExitOp("p2"),
        ];
        // Fails at the first write of a process that has the mapping (its own, or inherited); needs no fork.
        int? Fails(IReadOnlyList<Op> c)
        {
            var mapped = new HashSet<string>();
            for (var i = 0; i < c.Count; i++)
            {
                if (c[i] is MmapOp m) mapped.Add(m.P);
                if (c[i] is ForkOp f && mapped.Contains(f.P)) mapped.Add(f.Child);
                if (c[i] is WriteOp w && mapped.Contains(w.P)) return i + 1;
            }
            return null;
        }

        var merged = ModelChecker.WithoutForks(ops, Fails, 100);

        Assert.Equal(["p1 mmap 0x1e8000 1 rw anon private", "p1 write 0x1e8000 0x1"], merged.Select(o => o.ToScenario()));
    }

    [Fact]
    public void A_fork_the_failure_needs_stays()
    {
        List<Op> ops = [new ForkOp("p1", "p2"), new ReadOp("p2", 0x1e8000)];
        int? Fails(IReadOnlyList<Op> c) => c.Any(o => o is ReadOp { P: "p2" }) && c.Any(o => o is ForkOp) ? c.Count : null;

        Assert.Equal(ops, ModelChecker.WithoutForks(ops, Fails, 100));
    }

    [Fact]
    public void An_exception_in_the_model_is_a_violation()
    {
        var result = ModelChecker.Run(new CheckerOptions { Seed = 1, MaxRuns = 1 }, null,
            _ => throw new InvalidOperationException("no model"));

        var failure = Assert.IsType<CheckFailure>(result.Failure);
        Assert.Contains("exception", failure.Violation);
        Assert.Contains("no model", failure.Violation);
    }
}
