namespace FaultLab.Core;

/// <summary>One specialized variant of the fault path, as the generator made it.</summary>
/// <param name="Name">Its axis values joined by '+': wired|nowire + normal|random|sequential + cow|nocow.</param>
/// <param name="GeneratedLines">Lines of generated source of its methods.</param>
/// <param name="Methods">How many methods of the generic path it has its own copy of.</param>
public sealed record FaultVariantInfo(string Name, bool Wired, Advice Advice, bool CopyOnWrite, int GeneratedLines, int Methods)
{
    /// <summary>The name of the nested class holding the variant's methods (FaultLab.Core.UvmFault+NAME).</summary>
    public string ClassName => Name.Replace('+', '_');
}

/// <summary>The variants declared in FaultCore (Uvm/UvmFault.Variants.cs), in declaration order.</summary>
public static class FaultVariants
{
    private static readonly FaultVariantInfo[] all = Array.ConvertAll(UvmFault.VariantCatalog,
        v => new FaultVariantInfo(v.Name, v.Wired, v.Advice, v.CopyOnWrite, v.GeneratedLines, v.Methods));

    public static IReadOnlyList<FaultVariantInfo> All => all;

    /// <summary>The variant of that name, or null.</summary>
    public static FaultVariantInfo? Find(string name) => Array.Find(all, v => v.Name == name);
}
