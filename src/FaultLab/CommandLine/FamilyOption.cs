using System.CommandLine;
using FaultLab.Core;

namespace FaultLab.Cli.CommandLine;

/// <summary>
/// <c>--family NAME</c>: a fault-handler family of <see cref="MachineCatalog.BuiltIn"/> (default: its first, netbsd).
/// The names come from the catalog, so each family the model gains is selectable, completes and shows in the help
/// without touching the CLI.
/// </summary>
internal sealed class FamilyOption : Option<string>
{
    /// <param name="name">The option's name (<c>--family</c>, or another option that names a family).</param>
    /// <param name="optional">No default: absent unless given (<see cref="OrNull"/>).</param>
    public FamilyOption(string what, string name = "--family", bool optional = false) : base(name)
    {
        Description = what;
        if (!optional)
            DefaultValueFactory = _ => MachineCatalog.BuiltIn.Default.Name;
        HelpName = string.Join('|', MachineCatalog.BuiltIn.Names);
        CompletionSources.Add([.. MachineCatalog.BuiltIn.Names]);
        Validators.Add(result =>
        {
            var given = result.GetValueOrDefault<string>() ?? "";
            if (MachineCatalog.BuiltIn.Find(given) is null)
                result.AddError($"unknown family {Workloads.Excerpt.Quote(given)}; known: {string.Join(", ", MachineCatalog.BuiltIn.Names)}");
        });
    }

    /// <summary>The family the command line names, or null when the option was not given.</summary>
    public MachineFamily? OrNull(ParseResult parse) =>
        parse.GetResult(this) is { Implicit: false } && parse.GetValue(this) is { } name ? MachineCatalog.BuiltIn.Find(name) : null;

    /// <summary>The family the command line names (or the default).</summary>
    public MachineFamily Of(ParseResult parse) => MachineCatalog.BuiltIn.Find(parse.GetValue(this)!) ?? MachineCatalog.BuiltIn.Default;
}
