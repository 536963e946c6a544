using FaultLab.Profiling.Stages;

namespace FaultLab.Profiling.Tests.Stages;

/// <summary>Stage times from FaultLab-Fault events: each stage lasts until the next event of its fault.</summary>
public class StageAnalysisTests
{
    private static StageEvent Start(int t, double ns) => new(t, ns, StageEventKind.FaultStart);
    private static StageEvent Stage(int t, double ns, int stage) => new(t, ns, StageEventKind.Stage, stage);
    private static StageEvent Stop(int t, double ns) => new(t, ns, StageEventKind.FaultStop);

    [Fact]
    public void A_stage_lasts_until_the_next_event_and_entry_until_the_first_stage()
    {
        var report = StageAnalysis.Analyze([Start(1, 0), Stage(1, 10, 1), Stage(1, 40, 2), Stage(1, 100, 7), Stop(1, 160)]);
        Assert.Equal(1, report.Faults);
        Assert.Equal(160, report.FaultNs);
        var rows = report.Rows.ToDictionary(r => r.Stage);
        Assert.Equal(10, rows["entry"].TotalNs);
        Assert.Equal(30, rows["check"].TotalNs);
        Assert.Equal(60, rows["upper-lookup"].TotalNs);
        Assert.Equal(60, rows["enter"].TotalNs);
        Assert.Equal(100.0, report.Rows.Sum(r => r.Share), 6);
        Assert.Equal(37.5, rows["enter"].Share, 6);
    }

    [Fact]
    public void A_stage_that_runs_twice_in_a_fault_counts_twice()
    {
        // an amap-copy restart: check, then check again
        var report = StageAnalysis.Analyze([Start(1, 0), Stage(1, 1, 1), Stage(1, 5, 1), Stage(1, 9, 6), Stop(1, 20)]);
        var rows = report.Rows.ToDictionary(r => r.Stage);
        Assert.Equal(2, rows["check"].Count);
        Assert.Equal(8, rows["check"].TotalNs);
        Assert.Equal(4, rows["check"].MeanNs);
    }

    [Fact]
    public void Threads_are_separate_and_interleaved_events_do_not_mix()
    {
        var report = StageAnalysis.Analyze([Start(1, 0), Start(2, 1), Stage(1, 2, 1), Stage(2, 3, 1), Stop(2, 7), Stop(1, 12)]);
        Assert.Equal(2, report.Faults);
        var check = report.Rows.Single(r => r.Stage == "check");
        Assert.Equal(2, check.Count);
        Assert.Equal(10 + 4, check.TotalNs);
    }

    [Fact]
    public void Faults_cut_off_by_the_trace_are_left_out()
    {
        // stage events before any FaultStart, and a fault with no FaultStop
        var report = StageAnalysis.Analyze([Stage(1, 0, 2), Stop(1, 3), Start(1, 10), Stage(1, 11, 1)]);
        Assert.Equal(0, report.Faults);
        Assert.Empty(report.Rows);
    }

    [Fact]
    public void The_table_names_every_stage_that_ran()
    {
        var text = StageAnalysis.Analyze([Start(1, 0), Stage(1, 10, 1), Stage(1, 40, 5), Stop(1, 50)]).ToTable();
        Assert.StartsWith("1 faults, 50 ns per fault on average", text);
        Assert.Contains("\nentry ", text);
        Assert.Contains("\ncheck ", text);
        Assert.Contains("\nlower-io ", text);
        Assert.DoesNotContain("promote", text);
    }
}
