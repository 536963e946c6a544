using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using FaultLab.Core;
using FaultLab.Workloads;
using FaultLab.Workloads.BuiltIn;

namespace FaultLab.Cli.CommandLine;

/// <summary>
/// The options several verbs share, made in one place so that their names, value names, limits and help read the
/// same on every verb (CommandLineConsistencyTests holds them to it). Each call makes a new option: a
/// System.CommandLine symbol belongs to one command.
/// </summary>
internal static class CliOptions
{
    /// <summary>The longest any verb runs or records for, in seconds.</summary>
    public const long MaxSeconds = 3600;

    public const string JsonDescription =
        "print JSON on standard output instead of the table (anything else the verb prints goes to standard error)";

    public const string OutputDescription =
        "write what the verb prints (its table, or with --json the JSON) to FILE instead of standard output; - is " +
        "standard output, a device or FIFO is written as a stream, a symlink is written through, a regular file is " +
        "replaced whole; checked before any work starts";

    /// <summary><c>--path PATH</c>: a fault path by name (completions and the help list the names).</summary>
    public static PathOption Path(string what = "the fault path the machine runs") => new(what);

    /// <summary><c>--family NAME</c>: a fault-handler family by name (completions and the help list the names).</summary>
    public static FamilyOption Family(string what = "the fault-handler family of the machines") => new(what);

    /// <summary><c>--seconds N</c>: how long to run or record, 1 to <see cref="MaxSeconds"/> (or from 0 where 0 skips).</summary>
    public static IntegerOption Seconds(long? defaultValue, string description, long min = 1) =>
        new("--seconds", description, min, MaxSeconds, defaultValue);

    /// <summary><c>--seed S</c>: decimal or 0x hex, any unsigned 64-bit number.</summary>
    public static Option<ulong> Seed(string description) => new("--seed")
    {
        Description = description,
        HelpName = "S",
        DefaultValueFactory = _ => 1UL,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seed)
                : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seed);
            if (!ok)
                result.AddError($"option '--seed' needs an unsigned 64-bit number (decimal or 0x hex), got {Excerpt.Quote(text)}");
            return seed;
        },
    };

    public static Option<bool> Json() => new("--json") { Description = JsonDescription };

    public static Option<string?> Output() => new("--output", "-o") { Description = OutputDescription, HelpName = "FILE" };

    /// <summary><c>--out DIR</c>: a directory of results, checked (absent or empty, unless --force) before any work.</summary>
    public static Option<string?> Out(string description) => new("--out") { Description = description, HelpName = "DIR" };

    public static Option<bool> Force() => new("--force") { Description = "replace DIR if it exists and is not empty" };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Option<string?> Text(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName };

    /// <summary><c>--workload NAME</c>: one built-in workload, checked against the catalog while parsing.</summary>
    public static Option<string> Workload()
    {
        var option = new Option<string>("--workload")
        {
            Description = $"one of the built-in workloads: {string.Join(", ", WorkloadCatalog.Names)} (faultlab workloads describes them)",
            HelpName = "NAME",
            Required = true,
        };
        option.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>() ?? "";
            if (WorkloadCatalog.Create(name) is null)
                result.AddError($"unknown workload {Excerpt.Quote(name)}; known: {string.Join(", ", WorkloadCatalog.Names)}");
        });
        option.CompletionSources.Add([.. WorkloadCatalog.Names]);
        return option;
    }

    /// <summary>
    /// One or more file operands. A token that looks like an option is refused here (System.CommandLine would take an
    /// unknown option for a file name): a file whose name starts with '-' is given as ./-name.
    /// </summary>
    public static Argument<string[]> Files(string name, string description, int min = 1, int max = int.MaxValue)
    {
        var argument = new Argument<string[]>(name)
        {
            Description = description,
            HelpName = name,
            Arity = max == int.MaxValue ? (min == 0 ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore) : new ArgumentArity(min, max),
        };
        argument.Validators.Add(RefuseOptions);
        return argument;
    }

    /// <summary>An operand that starts with '-' (but is not '-') is an unknown option.</summary>
    public static void RefuseOptions(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.Length > 1 && token.Value[0] == '-')
            {
                result.AddError($"unknown option {Excerpt.Quote(token.Value)}");
                return;
            }
        }
    }

    /// <summary>The value of an option, or null when it was not on the command line (its default then stands).</summary>
    public static bool Given(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
