using System.CommandLine;
using System.Text.RegularExpressions;
using FaultLab.Cli.CommandLine;

namespace FaultLab.Tests;

/// <summary>
/// Walks every verb's options: one naming style, one value name and one range per option name whatever the verb,
/// one --json / --output convention on every verb that prints a table, --force only beside --out, and help for all.
/// </summary>
public class CommandLineConsistencyTests
{
    private static readonly RootCommand Root = Verbs.Root(new CliContext(TextWriter.Null, TextWriter.Null, new Cli.Interrupt()));

    private static IEnumerable<Command> VisibleVerbs => Verbs.Visible(Root);

    private static IEnumerable<(Command Verb, Option Option)> Options =>
        VisibleVerbs.SelectMany(v => v.Options.Select(o => (v, o)));

    /// <summary>The verbs that print a table (or transcripts): each offers the same --json and --output.</summary>
    private static readonly string[] TablePrinters = ["scenario", "bench", "workloads", "compare", "trace", "count", "variants"];

    [Fact]
    public void Option_names_are_lowercase_long_names_with_one_short_alias_at_most()
    {
        foreach (var (verb, option) in Options)
        {
            Assert.Matches(new Regex("^--[a-z][a-z0-9]*(-[a-z0-9]+)*$"), option.Name);
            Assert.All(option.Aliases, a => Assert.Matches(new Regex("^-[a-z?]$"), a));
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{verb.Name} {option.Name} has no description");
        }
    }

    [Fact]
    public void An_option_name_means_the_same_on_every_verb()
    {
        foreach (var group in Options.Where(x => x.Option is not System.CommandLine.Help.HelpOption).GroupBy(x => x.Option.Name))
        {
            var first = group.First().Option;
            foreach (var (verb, option) in group)
            {
                Assert.True(option.GetType() == first.GetType(), $"{verb.Name} {option.Name} is a {option.GetType().Name}, elsewhere a {first.GetType().Name}");
                Assert.True(option.HelpName == first.HelpName, $"{verb.Name} {option.Name} takes <{option.HelpName}>, elsewhere <{first.HelpName}>");
                Assert.Equal(first.Aliases.Order(), option.Aliases.Order());
                if (option is IntegerOption integer && first is IntegerOption other)
                {
                    Assert.True(integer.Max == other.Max, $"{verb.Name} {option.Name} goes to {integer.Max}, elsewhere to {other.Max}");
                    // 0 is allowed only where it means "skip this step" (run --seconds 0 skips the fuzz).
                    Assert.InRange(integer.Min, 0, 1);
                }
            }
        }
    }

    [Fact]
    public void Seconds_have_one_limit_everywhere()
    {
        var seconds = Options.Where(x => x.Option.Name == "--seconds").Select(x => (IntegerOption)x.Option).ToList();
        Assert.NotEmpty(seconds);
        Assert.All(seconds, s => Assert.Equal(CliOptions.MaxSeconds, s.Max));
        Assert.Equal(["flame", "fuzz", "run", "trace"], Options.Where(x => x.Option.Name == "--seconds").Select(x => x.Verb.Name).Order());
    }

    [Fact]
    public void Every_verb_that_prints_a_table_has_the_one_json_and_output_convention()
    {
        foreach (var verb in VisibleVerbs)
        {
            var json = verb.Options.FirstOrDefault(o => o.Name == "--json");
            var output = verb.Options.FirstOrDefault(o => o.Name == "--output");
            if (!TablePrinters.Contains(verb.Name))
            {
                Assert.True(json is null && output is null, $"{verb.Name} prints no table but has --json or --output");
                continue;
            }
            Assert.NotNull(json);
            Assert.NotNull(output);
            Assert.IsType<Option<bool>>(json);
            Assert.Equal(CliOptions.JsonDescription, json.Description);
            Assert.Equal(CliOptions.OutputDescription, output.Description);
            Assert.Equal(["-o"], output.Aliases);
        }
    }

    [Fact]
    public void Force_is_only_offered_beside_out()
    {
        foreach (var verb in VisibleVerbs.Where(v => v.Options.Any(o => o.Name == "--force")))
            Assert.Contains(verb.Options, o => o.Name == "--out");
    }

    [Fact]
    public void Path_and_workload_options_complete_the_known_names()
    {
        foreach (var (verb, option) in Options.Where(x => x.Option.Name is "--path" or "--workload"))
        {
            var completions = option.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label).ToList();
            var known = option.Name == "--path" ? FaultLab.Core.FaultPathNames.All : FaultLab.Workloads.BuiltIn.WorkloadCatalog.Names;
            Assert.True(known.All(completions.Contains), $"{verb.Name} {option.Name} completes {string.Join(", ", completions)}");
        }
    }

    [Fact]
    public void Every_verb_has_a_summary_and_details_with_its_exit_status()
    {
        foreach (var verb in VisibleVerbs)
        {
            var details = Assert.IsType<Verb>(verb).Details;
            Assert.DoesNotContain('\n', verb.Description!);
            Assert.Contains("Exit status:", details);
        }
    }

    [Fact]
    public void The_child_verbs_are_hidden()
    {
        Assert.Equal(["count-host", "jit-host", "quick-bench-host", "workload-host"], Root.Subcommands.Where(c => c.Hidden).Select(c => c.Name).Order());
    }
}
