using System.CommandLine;
using FaultLab.Core;

namespace FaultLab.Cli.CommandLine;

/// <summary>
/// <c>--path PATH</c>. The accepted names come from <see cref="FaultPathNames"/>, so each path the model gains
/// becomes selectable (and completes, and shows in the help) without touching the CLI.
/// </summary>
internal sealed class PathOption : Option<string>
{
    public PathOption(string what) : base("--path")
    {
        Description = what;
        DefaultValueFactory = _ => FaultPathNames.NameOf(FaultPath.Specialized);
        HelpName = string.Join('|', FaultPathNames.All);
        CompletionSources.Add([.. FaultPathNames.All]);
        Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>() ?? "";
            if (!FaultPathNames.TryParse(name, out _))
                result.AddError($"unknown path {Workloads.Excerpt.Quote(name)}; known: {string.Join(", ", FaultPathNames.All)}");
        });
    }

    /// <summary>The path the command line names (or the default).</summary>
    public FaultPath Of(ParseResult parse) =>
        FaultPathNames.TryParse(parse.GetValue(this)!, out var path) ? path : FaultPath.Specialized;
}
