using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The words a scenario may use as it is parsed: the catalog's families, and the family of the file's machine
/// (its outcomes, access keys and counters). A name of another family is an error that says whose it is.
/// </summary>
internal sealed class Vocabulary(MachineCatalog catalog)
{
    public MachineCatalog Catalog { get; } = catalog;

    /// <summary>The family of this file's machine: the catalog's default until a <c>machine family=</c> names one.</summary>
    public MachineFamily Family { get; set; } = catalog.Default;

    /// <summary>" (a freebsd outcome)" when other families have that word; empty when none does.</summary>
    public static string Whose(IEnumerable<MachineFamily> owners, string what)
    {
        var names = owners.Select(f => f.Name).ToArray();
        return names.Length == 0 ? "" : $" (a {string.Join(" and ", names)} {what})";
    }

    /// <summary>"a netbsd machine's": how errors name the vocabulary in force.</summary>
    public string Machine => $"a {Family.Name} machine";
}
