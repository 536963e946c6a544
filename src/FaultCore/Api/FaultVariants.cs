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

/// <summary>A method of a fault path's generated source: as the generic path has it, or as a variant does.</summary>
public sealed record MethodSource(string Method, string Text);

/// <summary>The source of the specialized methods, per path, for tools that show what the folding did.</summary>
public static class FaultSources
{
    public const string Generic = "generic";

    /// <summary>"generic" and every variant's name.</summary>
    public static IReadOnlyList<string> PathNames { get; } =
        [Generic, .. FaultVariants.All.Select(v => v.Name)];

    /// <summary>The copied methods of a path, in the generator's order; null for an unknown name.</summary>
    public static IReadOnlyList<MethodSource>? Of(string path) =>
        PathNames.Contains(path)
            ? UvmFault.GeneratedSources.Where(s => s.Path == path).Select(s => new MethodSource(s.Method, s.Text)).ToArray()
            : null;

    /// <summary>
    /// The type whose static methods are the path's code (the generic path's class, or a variant's nested class),
    /// for tools that make the JIT compile them; null for an unknown name.
    /// </summary>
    public static Type? TypeOf(string path) =>
        path == Generic ? typeof(UvmFault)
        : FaultVariants.Find(path) is { } v ? typeof(UvmFault).GetNestedType(v.ClassName, System.Reflection.BindingFlags.NonPublic)
        : null;
}
