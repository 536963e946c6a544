namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The static checks of a scenario, done before anything runs: <c>machine</c> comes first and once; every process
/// and file used is defined; a live name is not defined again; the files together fit the model's disk. A process is live from its <c>proc</c> or
/// <c>fork</c> to its <c>exit</c>; files live to the end.
/// </summary>
internal sealed class NameBinder(string file, int firstStatementLine)
{
    private readonly Dictionary<string, int> liveProcesses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> exitedProcesses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> files = new(StringComparer.Ordinal);

    // A name reported undefined once is not reported again on every later line that uses it.
    private readonly HashSet<string> reportedUndefined = new(StringComparer.Ordinal);

    private int? machineLine;

    // The pages of the files defined so far: together they are held to MachineConfig.MaxFilePages too.
    private long filePages;

    public List<ParseError> Errors { get; } = [];

    /// <summary>Whether the name has been defined as a process so far, live or exited.</summary>
    public bool IsKnownProcess(string name) => liveProcesses.ContainsKey(name) || exitedProcesses.ContainsKey(name);

    public void Bind(Statement statement)
    {
        if (StatementNames.UsedProcess(statement) is { } used)
        {
            UseProcess(used);
        }
        switch (statement)
        {
            case MachineStatement:
                CheckMachine(statement);
                break;
            case FileStatement s:
                DefineFile(s.File);
                AddFilePages(s);
                break;
            case ProcStatement s:
                DefineProcess(s.Proc);
                break;
            case MmapStatement { File: { } file }:
                UseFile(file);
                break;
            case ForkStatement s:
                DefineProcess(s.Child);
                break;
            case ExitStatement s when liveProcesses.Remove(s.Proc.Text):
                exitedProcesses[s.Proc.Text] = s.Line;
                break;
        }
    }

    private void CheckMachine(Statement statement)
    {
        if (machineLine is { } first)
        {
            Report(statement.Tokens[0], $"'machine' given twice (first at line {first})");
            return;
        }
        machineLine = statement.Line;
        if (statement.Line != firstStatementLine)
        {
            Report(statement.Tokens[0], "'machine' must be the first statement");
        }
    }

    private void AddFilePages(FileStatement s)
    {
        if (FaultLab.Core.MachineConfig.FileProblem(s.Pages, filePages) is { } problem)
        {
            Report(s.Tokens.FirstOrDefault(t => t.Text.StartsWith("pages=", StringComparison.Ordinal), s.Tokens[0]), problem);
            return;
        }
        filePages += s.Pages;
    }

    private void DefineProcess(Token name)
    {
        if (liveProcesses.TryGetValue(name.Text, out var line))
        {
            Report(name, $"process {Excerpt.Quote(name.Text)} is already defined (line {line})");
            return;
        }
        liveProcesses[name.Text] = name.Line;
        reportedUndefined.Remove(name.Text);
    }

    private void DefineFile(Token name)
    {
        if (files.TryGetValue(name.Text, out var line))
        {
            Report(name, $"file {Excerpt.Quote(name.Text)} is already defined (line {line})");
            return;
        }
        files[name.Text] = name.Line;
    }

    private void UseProcess(Token name)
    {
        if (liveProcesses.ContainsKey(name.Text) || !reportedUndefined.Add(name.Text))
        {
            return;
        }
        Report(name, exitedProcesses.TryGetValue(name.Text, out var line)
            ? $"process {Excerpt.Quote(name.Text)} exited at line {line}"
            : $"undefined process {Excerpt.Quote(name.Text)}");
    }

    private void UseFile(Token name)
    {
        if (!files.ContainsKey(name.Text) && reportedUndefined.Add("file " + name.Text))
        {
            Report(name, $"undefined file {Excerpt.Quote(name.Text)}");
        }
    }

    private void Report(Token at, string message) => Errors.Add(new ParseError(file, at.Line, at.Column, message));
}
