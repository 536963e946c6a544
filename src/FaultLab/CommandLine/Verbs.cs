using System.CommandLine;
using System.CommandLine.Invocation;
using FaultLab.Workloads;

namespace FaultLab.Cli.CommandLine;

/// <summary>
/// The <c>faultlab</c> command tree: every verb in the order the tool's help lists them, the <c>help</c> verb, and
/// the hidden verbs the tool runs as its own child processes.
/// </summary>
internal static class Verbs
{
    public const string ToolDescription =
        "faultlab: a performance lab around executable models of BSD page-fault handlers (NetBSD UVM 1.208, FreeBSD 1995).";

    public const string ToolDetails = """
        Exit status: 0 all good; 1 an expectation or invariant did not hold, or a figure regressed (compare
        --threshold); 2 bad usage, unreadable input or an unusable output path (checked before any work starts);
        70 internal error; 130, 143, 129 interrupted by SIGINT, SIGTERM, SIGHUP (every command then stops its
        child processes, removes its temporary files and says what it kept).
        Arguments can come from a response file (@FILE, one per line); tab completion works through dotnet-suggest
        (docs/cli.md).
        """;

    public static RootCommand Root(CliContext context)
    {
        var root = new RootCommand(ToolDescription);
        Verb.AddDetails(root);
        foreach (var option in root.Options)
        {
            if (option is VersionOption)
                option.Action = new Print(() => context.Stdout.WriteLine($"faultlab {Cli.Version}"));
        }
        Command[] verbs =
        [
            RunCommand.Create(context),
            ScenarioCommand.Create(context),
            FuzzCommand.Create(context),
            BenchCommand.Create(context),
            WorkloadsCommand.Create(context),
            CompareCommand.Create(context),
            FlameCommand.Create(context),
            TraceCommand.Create(context),
            CountCommand.Create(context),
            VariantsCommand.Create(context),
            Diff.DiffCommand.Create(context),
        ];
        foreach (var verb in verbs)
            root.Subcommands.Add(verb);
        root.Subcommands.Add(Help(root, context));
        root.Subcommands.Add(FlameCommand.CreateHost());
        root.Subcommands.Add(Diff.JitCollector.CreateHost(context));
        root.Subcommands.Add(QuickBenchChild.CreateHost(context));
        root.Subcommands.Add(CountCommand.CreateHost(context));
        // No verb: the tool's help, on standard error (it is a usage mistake).
        root.SetAction(_ =>
        {
            ShowHelp(root, [], context.Stderr);
            return ExitCodes.Usage;
        });
        return root;
    }

    /// <summary>The verbs a user can call, in help order (not the hidden child verbs).</summary>
    public static IEnumerable<Command> Visible(RootCommand root) => root.Subcommands.Where(c => !c.Hidden);

    /// <summary><c>faultlab help [COMMAND]</c>: the same text as <c>faultlab COMMAND --help</c>.</summary>
    private static Command Help(RootCommand root, CliContext context)
    {
        var topic = new Argument<string?>("COMMAND")
        {
            Description = "the command whose help to show",
            HelpName = "COMMAND",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var help = new Verb("help", "show the tool's help, or a command's: faultlab help COMMAND",
            "Shows the tool's help, or the help of one command (the same as faultlab COMMAND --help).\n\nExit status: 0; 2 an unknown command.")
        {
            topic,
        };
        topic.CompletionSources.Add(_ => Visible(root).Select(c => new System.CommandLine.Completions.CompletionItem(c.Name)));
        help.SetAction(parse =>
        {
            var name = parse.GetValue(topic);
            if (name is null)
                return ShowHelp(root, [], context.Stdout);
            if (Visible(root).All(c => c.Name != name))
                throw new UsageException($"no help for {Excerpt.Quote(name)}; commands: {string.Join(", ", Visible(root).Select(c => c.Name))}");
            return ShowHelp(root, [name], context.Stdout);
        });
        return help;
    }

    private static int ShowHelp(RootCommand root, string[] verb, TextWriter output) =>
        root.Parse([.. verb, "--help"]).Invoke(new InvocationConfiguration { Output = output, Error = output });

    /// <summary>An action that prints something and succeeds (the tool's --version).</summary>
    private sealed class Print(Action print) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            print();
            return ExitCodes.Success;
        }
    }
}
