using FaultLab.Core;
using FaultLab.Workloads.Scenarios;

namespace FaultLab.Workloads.BuiltIn;

/// <summary>
/// A workload written as a scenario file, for <c>faultlab bench --scenario FILE</c>: the statements before the
/// <see cref="Marker"/> line set the machine up (once per fault path), the statements after it are the batch that is
/// measured, run again and again. The marker is a comment, so the file stays a scenario <c>faultlab scenario</c>
/// runs as it is. Like a built-in workload's, the batch must put the machine back as it found it (unmap and map
/// again, munlock, exit a child) so that every batch faults the same way; every statement's outcome and every
/// <c>expect</c> is checked on every batch, and a batch that fails one stops the bench with the file and line.
/// The batch runs through the scenario interpreter, whose own cost (and allocations) is in the figures: compare
/// the paths and the floors of one file, not a scenario's figures with a built-in workload's.
/// </summary>
public sealed class ScenarioWorkload : Workload
{
    /// <summary>How its workload is named in results: <c>scenario:</c> and the file's name.</summary>
    public const string NamePrefix = "scenario:";

    /// <summary>The line that ends the set-up and starts the measured batch.</summary>
    public const string Marker = "# bench: batch";

    private readonly string file;
    private readonly Scenario scenario;
    private readonly (Statement Statement, string Text)[] setup;
    private readonly (Statement Statement, string Text)[] batch;
    private ScenarioExecution? execution;

    private ScenarioWorkload(string file, Scenario scenario, int markerLine)
    {
        this.file = file;
        this.scenario = scenario;
        MarkerLine = markerLine;
        var statements = scenario.Statements.Select(s => (s, StatementText.Format(s))).ToArray();
        setup = [.. statements.Where(s => s.s.Line < markerLine)];
        batch = [.. statements.Where(s => s.s.Line > markerLine)];
        Name = NamePrefix + System.IO.Path.GetFileNameWithoutExtension(file);
    }

    /// <summary>The family the scenario's machine statement names: the one its batch runs on.</summary>
    public MachineFamily ScenarioFamily => scenario.Family;

    /// <summary>The line of the marker (1-based).</summary>
    public int MarkerLine { get; }

    public override string Name { get; }

    public override string Description =>
        $"{file}: {setup.Length} set-up statements, a batch of {batch.Length} (after line {MarkerLine})";

    protected override MachineConfig Config => ScenarioRunner.ConfigFor(scenario, FaultPath.Generic);

    /// <summary>Reads and splits a scenario file.</summary>
    /// <exception cref="FormatException">It cannot be read or parsed, or has no marker line or no statement after it; the message holds one error per line (<c>FILE:LINE:COL: message</c>).</exception>
    public static ScenarioWorkload Load(string file)
    {
        var name = Excerpt.Of(file, Excerpt.MaxPathLength);
        string text;
        try
        {
            var info = new FileInfo(file);
            if (info.Exists && info.Length > ScenarioFiles.MaxFileBytes)
                throw new FormatException($"{name}: too large to be a scenario ({info.Length} bytes)");
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FormatException($"{name}: cannot read: {Excerpt.Of(e.Message, Excerpt.MaxPathLength)}");
        }
        var scenario = ScenarioParser.Parse(file, text);
        if (!scenario.IsValid)
            throw new FormatException(string.Join("\n", ScenarioFiles.Capped(name, scenario.Errors.Select(e => e.ToString()))));
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var marker = Array.FindIndex(lines, l => l.Trim() == Marker) + 1;
        if (marker == 0)
            throw new FormatException($"{name}: no '{Marker}' line: the statements after it are the batch bench measures");
        var workload = new ScenarioWorkload(file, scenario, marker);
        if (workload.batch.Length == 0)
            throw new FormatException($"{name}:{marker}: no statement after '{Marker}': the batch is empty");
        return workload;
    }

    /// <summary>A fresh copy (not set up) for another fault path.</summary>
    public ScenarioWorkload Clone() => new(file, scenario, MarkerLine);

    protected override void Prepare(IMachine m)
    {
        execution = new ScenarioExecution(m);
        Run(setup, "set-up");
    }

    public override void RunBatch() => Run(batch, "batch");

    private void Run((Statement Statement, string Text)[] statements, string part)
    {
        var run = execution ?? throw new InvalidOperationException($"{Name}: call Setup first");
        foreach (var (statement, text) in statements)
        {
            var result = run.Execute(statement, text);
            if (!result.Ok)
                throw new InvalidOperationException(
                    $"{Excerpt.Of(file, Excerpt.MaxPathLength)}:{statement.Line}: {part} statement failed on the {FaultPathNames.NameOf(Path)} path: {result.Failures[0]}");
        }
    }
}
