using FaultLab.Profiling.Model;
using FaultLab.Profiling.Parsing;

namespace FaultLab.Profiling.Tests;

public class ProfileBuilderTests
{
    private const string Loop = "FaultLab.Profiling!" + WorkloadHost.LoopMethod;
    private static readonly string[] Launcher = ["faultlab!Program.<Main>$", "faultlab!FaultLab.Cli.Cli.Run", "FaultLab.Profiling!FaultLab.Profiling.WorkloadHost.Run"];

    private static RawSample Workload(int thread, params string[] aboveLoop) =>
        RawSample.Of(thread, managed: true, [.. Launcher, Loop, .. aboveLoop]);

    private static string Folded(BuiltProfile built) => FoldedFormat.ToText(built.Profile);

    [Fact]
    public void Keeps_the_managed_samples_of_the_batch_loop_cut_at_the_loop_frame()
    {
        var trace = new RawTrace(
        [
            Workload(1, "W!Soft.RunBatch", "C!Machine.Read"),
            Workload(1, "W!Soft.RunBatch", "C!Machine.Read"),
            Workload(1, "W!Soft.RunBatch"),
            RawSample.Of(1, managed: true, [.. Launcher, "W!Workload.Setup"]),       // set-up: not the loop
            RawSample.Of(1, managed: false, [.. Launcher, Loop, "W!Soft.RunBatch"]), // not running managed code
            RawSample.Of(2, managed: true, "System.Private.CoreLib!System.Threading.TimerQueue.FireNextTimers"),
            RawSample.Of(3, managed: false, "System.Private.CoreLib!System.Threading.Monitor.Wait"),
        ], EventsLost: 0);

        var built = ProfileBuilder.Build(trace, WorkloadHost.LoopMethod);

        Assert.Equal(
            $"{Loop};W!Soft.RunBatch 1\n{Loop};W!Soft.RunBatch;C!Machine.Read 2\n",
            Folded(built));
        Assert.Equal(3, built.Quality.Samples);
        Assert.Equal(1, built.Quality.Threads);
    }

    [Fact]
    public void Without_the_loop_the_thread_with_most_managed_samples_is_kept_whole()
    {
        var trace = new RawTrace(
        [
            RawSample.Of(7, true, "A!Main", "A!Hot"),
            RawSample.Of(7, true, "A!Main", "A!Hot"),
            RawSample.Of(7, false, "A!Main", "A!Wait"),
            RawSample.Of(8, true, "A!Other"),
            RawSample.Of(9, false, "A!Idle"),
            RawSample.Of(9, false, "A!Idle"),
            RawSample.Of(9, false, "A!Idle"),
        ], EventsLost: 0);

        Assert.Equal("A!Main;A!Hot 2\n", Folded(ProfileBuilder.Build(trace, loopMethod: null)));
    }

    [Fact]
    public void Pseudo_and_safepoint_frames_are_folded_away()
    {
        var trace = new RawTrace(
        [
            Workload(1, "W!Soft.RunBatch", "coreclr!JIT_PollGC", "CPU_TIME"),
            Workload(1, "W!Soft.RunBatch"),
        ], EventsLost: 0);

        Assert.Equal($"{Loop};W!Soft.RunBatch 2\n", Folded(ProfileBuilder.Build(trace, WorkloadHost.LoopMethod)));
    }

    [Fact]
    public void Quality_counts_unresolved_frames_and_warns_above_a_tenth()
    {
        var trace = new RawTrace(
        [
            Workload(1, "W!Soft.RunBatch", "FaultCore!?"),
            Workload(1, "W!Soft.RunBatch", "C!Machine.Read"),
        ], EventsLost: 3);

        var quality = ProfileBuilder.Build(trace, WorkloadHost.LoopMethod).Quality;

        Assert.Equal(6, quality.Frames);          // loop, RunBatch, one more; twice
        Assert.Equal(1, quality.UnresolvedFrames);
        Assert.Equal(1 / 6.0, quality.UnresolvedShare, 6);
        Assert.Equal(3, quality.LostEvents);
        Assert.Equal("2 samples, 16.7% unresolved frames, 0 truncated stacks (at the 100-frame cap), 3 lost events", quality.Line);
        Assert.Contains("no managed name", quality.Warning);
    }

    [Fact]
    public void A_clean_profile_has_no_warning()
    {
        var quality = ProfileBuilder.Build(new RawTrace([Workload(1, "W!Soft.RunBatch")], 0), WorkloadHost.LoopMethod).Quality;

        Assert.Null(quality.Warning);
        Assert.Equal(0, quality.UnresolvedShare);
    }

    [Fact]
    public void Stacks_cut_at_the_cap_are_counted_and_kept_under_a_pseudo_root()
    {
        var deep = Enumerable.Range(0, ProfileBuilder.StackCap).Select(i => $"R!Recurse{i % 2}").ToArray();
        var trace = new RawTrace(
        [
            Workload(1, "W!Soft.RunBatch"),
            RawSample.Of(1, managed: true, deep),   // the loop frame fell off the top of the walk
        ], EventsLost: 0);

        var built = ProfileBuilder.Build(trace, WorkloadHost.LoopMethod);

        Assert.Equal(1, built.Quality.TruncatedStacks);
        Assert.Equal(2, built.Quality.Samples);
        Assert.Contains(built.Profile.Stacks, s => s.Frames[0] == ProfileBuilder.TruncatedRoot && s.Frames.Length == deep.Length + 1);
        Assert.Contains("cut at 100 frames", built.Quality.Warning);
    }

    [Fact]
    public void No_sample_in_the_loop_gives_an_empty_profile_even_with_other_managed_samples()
    {
        var built = ProfileBuilder.Build(new RawTrace(
            [RawSample.Of(1, false, "A!Sleep"), RawSample.Of(1, true, "A!Main", "A!Startup")], 0), WorkloadHost.LoopMethod);

        Assert.Equal(0, built.Quality.Samples);
        Assert.Empty(built.Profile.Stacks);
    }
}
