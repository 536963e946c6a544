using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace FaultLab.Cli.CommandLine;

/// <summary>
/// A verb of the tool: its one-line summary is what the tool's help lists (System.CommandLine's description), its
/// details (what it does at length, and its exit statuses) close its own help, after System.CommandLine's usage,
/// arguments and options.
/// </summary>
internal sealed class Verb(string name, string summary, string details) : Command(name, summary)
{
    public string Details { get; } = details;

    /// <summary>Makes the root's help option print a verb's details after System.CommandLine's own help.</summary>
    public static void AddDetails(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new DetailedHelp((HelpAction)help.Action!);
    }

    private sealed class DetailedHelp(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            var details = parseResult.CommandResult.Command switch
            {
                Verb verb => verb.Details,
                RootCommand => Verbs.ToolDetails,
                _ => null,
            };
            if (details is not null)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine(details.TrimEnd());
                output.WriteLine();
            }
            return code;
        }
    }
}
