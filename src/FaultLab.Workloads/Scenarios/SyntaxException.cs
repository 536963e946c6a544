namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// Abandons the statement being parsed: a line has at most one syntax error worth reporting, since what follows
/// the first mistake is usually misread. Never escapes <see cref="ScenarioParser"/>.
/// </summary>
internal sealed class SyntaxException(int column, string message) : Exception(message)
{
    public int Column { get; } = column;
}
