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
    public FamilyOption(string what) : base("--family")
    {
        Description = what;
        DefaultValueFactory = _ => MachineCatalog.BuiltIn.Default.Name;
        HelpName = string.Join('|', MachineCatalog.BuiltIn.Names);
        CompletionSources.Add([.. MachineCatalog.BuiltIn.Names]);
        Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>() ?? "";
            if (MachineCatalog.BuiltIn.Find(name) is null)
                result.AddError($"unknown family {Workloads.Excerpt.Quote(name)}; known: {string.Join(", ", MachineCatalog.BuiltIn.Names)}");
        });
    }

    /// <summary>The family the command line names (or the default).</summary>
    public MachineFamily Of(ParseResult parse) => MachineCatalog.BuiltIn.Find(parse.GetValue(this)!) ?? MachineCatalog.BuiltIn.Default;
}
