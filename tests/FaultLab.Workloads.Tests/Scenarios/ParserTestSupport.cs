using FaultLab.Workloads.Scenarios;

namespace FaultLab.Workloads.Tests.Scenarios;

internal static class ParserTestSupport
{
    public const string FileName = "t.flt";

    /// <summary>Parses text that must be valid and returns its statements.</summary>
    public static IReadOnlyList<Statement> Valid(string text)
    {
        var scenario = ScenarioParser.Parse(FileName, text);
        Assert.True(scenario.IsValid, string.Join("\n", scenario.Errors));
        return scenario.Statements;
    }

    /// <summary>The last statement of a valid scenario (the earlier lines define what it uses).</summary>
    public static T Last<T>(string text) where T : Statement => Assert.IsType<T>(Valid(text)[^1]);

    /// <summary>The parse errors of a scenario, each as <c>FILE:LINE:COL: message</c>.</summary>
    public static IReadOnlyList<string> Errors(string text) =>
        [.. ScenarioParser.Parse(FileName, text).Errors.Select(e => e.ToString())];

    /// <summary>The single parse error's location, <c>FILE:LINE:COL</c>, and its message.</summary>
    public static (string Location, string Message) SingleError(string text)
    {
        var error = Assert.Single(ScenarioParser.Parse(FileName, text).Errors);
        return ($"{error.File}:{error.Line}:{error.Column}", error.Message);
    }
}
