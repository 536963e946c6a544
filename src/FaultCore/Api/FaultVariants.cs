namespace FaultLab.Core;

/// <summary>An axis of the variants, as the facade declares it: its name and its values, with their names.</summary>
public sealed record FaultAxis(string Name, IReadOnlyList<string> ValueNames, IReadOnlyList<object> Values);

/// <summary>A variant's value of one axis: the axis's name, the value's name, and the value (a bool or an enum value).</summary>
public sealed record FaultAxisValue(string Axis, string Name, object Value);

/// <summary>One specialized variant of the fault path, as the generator made it.</summary>
/// <param name="Name">Its value names joined by '+', in axis order (the facade's naming rule): wired+sequential+cow.</param>
/// <param name="ClassName">The name of the nested class holding the variant's methods (FaultLab.Core.UvmFault+NAME).</param>
/// <param name="Axes">Its value of each axis, in the facade's order.</param>
/// <param name="GeneratedLines">Lines of generated source of its methods.</param>
/// <param name="Methods">How many methods of the generic path it has its own copy of.</param>
public sealed record FaultVariantInfo(string Name, string ClassName, IReadOnlyList<FaultAxisValue> Axes, int GeneratedLines, int Methods)
{
    public bool Wired => (bool)ValueOf(Spec.WiredAxis);

    public Advice Advice => (Advice)ValueOf(Spec.AdviceAxis);

    public bool CopyOnWrite => (bool)ValueOf(Spec.CopyOnWriteAxis);

    /// <summary>The variant's value of the axis of that name.</summary>
    public object ValueOf(string axis) =>
        Axes.FirstOrDefault(a => a.Axis == axis)?.Value ?? throw new ArgumentException($"no axis '{axis}'", nameof(axis));
}

/// <summary>
/// One family's specialized fault path as the generator made it: its axes, its variants, every configuration the
/// dispatcher can meet, and the source of every copied method per path (the generic path and each variant). Built
/// from the catalog the generator emits into the path's class, so that the lab never rebuilds a variant's name.
/// </summary>
public sealed class FaultPathCatalog
{
    /// <summary>The generic path's name among <see cref="PathNames"/>.</summary>
    public const string Generic = "generic";

    private readonly FaultAxis[] axes;
    private readonly FaultVariantInfo[] all;
    private readonly Dictionary<string, Type> classes;
    private readonly (string Path, string Method, string Text)[] sources;
    private readonly Type genericType;

    private FaultPathCatalog(MachineFamily family, Type genericType,
        (string Name, string[] ValueNames, object[] Values)[] variantAxes,
        (string Name, Type Class, object[] Values, int GeneratedLines, int Methods)[] variantCatalog,
        string[] configurations, (string Path, string Method, string Text)[] generatedSources)
    {
        Family = family;
        this.genericType = genericType;
        axes = Array.ConvertAll(variantAxes, a => new FaultAxis(a.Name, a.ValueNames, a.Values));
        all = Array.ConvertAll(variantCatalog, v => new FaultVariantInfo(
            v.Name, v.Class.Name,
            [.. axes.Select((a, i) => new FaultAxisValue(a.Name, a.ValueNames[IndexOf(a.Values, v.Values[i])], v.Values[i]))],
            v.GeneratedLines, v.Methods));
        classes = variantCatalog.ToDictionary(v => v.Name, v => v.Class);
        Configurations = configurations;
        sources = generatedSources;
        PathNames = [Generic, .. all.Select(v => v.Name)];
    }

    /// <summary>The NetBSD family's path (UvmFault, NetBsd/Fault/UvmFault.Variants.cs).</summary>
    public static FaultPathCatalog NetBsd { get; } = new(MachineFamily.NetBsd, typeof(UvmFault),
        UvmFault.VariantAxes, UvmFault.VariantCatalog, UvmFault.VariantConfigurations, UvmFault.GeneratedSources);

    /// <summary>The FreeBSD 1995 family's path (FreeBsdFault, FreeBsd/Fault/FreeBsdFault.Variants.cs).</summary>
    public static FaultPathCatalog FreeBsd { get; } = new(MachineFamily.FreeBsd, typeof(FreeBsdFault),
        FreeBsdFault.VariantAxes, FreeBsdFault.VariantCatalog, FreeBsdFault.VariantConfigurations, FreeBsdFault.GeneratedSources);

    /// <summary>Every family's path, in <see cref="MachineCatalog.BuiltIn"/> order.</summary>
    public static IReadOnlyList<FaultPathCatalog> All { get; } = [NetBsd, FreeBsd];

    /// <summary>The path of a family, or null for a family the generator made none for.</summary>
    public static FaultPathCatalog? For(MachineFamily family) => All.FirstOrDefault(c => c.Family == family);

    public MachineFamily Family { get; }

    /// <summary>The axes, in the order the facade declares them.</summary>
    public IReadOnlyList<FaultAxis> Axes => axes;

    /// <summary>The variants, in declaration order.</summary>
    public IReadOnlyList<FaultVariantInfo> Variants => all;

    /// <summary>Every configuration the dispatcher can meet, named as a variant of it is named; those no variant is
    /// declared for run the generic path.</summary>
    public IReadOnlyList<string> Configurations { get; }

    /// <summary>"generic" and every variant's name.</summary>
    public IReadOnlyList<string> PathNames { get; }

    /// <summary>The variant of that name, or null.</summary>
    public FaultVariantInfo? Find(string name) => Array.Find(all, v => v.Name == name);

    /// <summary>The copied methods of a path, in the generator's order; null for an unknown name.</summary>
    public IReadOnlyList<MethodSource>? SourcesOf(string path) =>
        PathNames.Contains(path)
            ? sources.Where(s => s.Path == path).Select(s => new MethodSource(s.Method, s.Text)).ToArray()
            : null;

    /// <summary>The type whose static methods are the path's code (the generic path's class, or a variant's nested
    /// class); null for an unknown name.</summary>
    public Type? TypeOf(string path) => path == Generic ? genericType : classes.GetValueOrDefault(path);

    private static int IndexOf(IReadOnlyList<object> values, object value)
    {
        for (int i = 0; i < values.Count; i++)
            if (values[i].Equals(value))
                return i;
        throw new InvalidOperationException($"{value} is not a value of its axis");
    }
}

/// <summary>The NetBSD family's variants (<see cref="FaultPathCatalog.NetBsd"/>); other families' through
/// <see cref="FaultPathCatalog.For"/>.</summary>
public static class FaultVariants
{
    /// <summary>The axes, in the order the facade (Spec) declares them.</summary>
    public static IReadOnlyList<FaultAxis> Axes => FaultPathCatalog.NetBsd.Axes;

    public static IReadOnlyList<FaultVariantInfo> All => FaultPathCatalog.NetBsd.Variants;

    /// <summary>
    /// Every configuration the dispatcher can meet (every combination of the axes' values), named as a variant of
    /// it is named; those no variant is declared for run the generic path.
    /// </summary>
    public static IReadOnlyList<string> Configurations => FaultPathCatalog.NetBsd.Configurations;

    /// <summary>The variant of that name, or null.</summary>
    public static FaultVariantInfo? Find(string name) => FaultPathCatalog.NetBsd.Find(name);

    /// <summary>The nested class of the variant of that name, or null.</summary>
    internal static Type? ClassOf(string name) => name == FaultPathCatalog.Generic ? null : FaultPathCatalog.NetBsd.TypeOf(name);
}

/// <summary>A method of a fault path's generated source: as the generic path has it, or as a variant does.</summary>
public sealed record MethodSource(string Method, string Text);

/// <summary>The source of the NetBSD family's specialized methods, per path, for tools that show what the folding
/// did (other families': <see cref="FaultPathCatalog.SourcesOf"/>).</summary>
public static class FaultSources
{
    public const string Generic = FaultPathCatalog.Generic;

    /// <summary>"generic" and every variant's name.</summary>
    public static IReadOnlyList<string> PathNames => FaultPathCatalog.NetBsd.PathNames;

    /// <summary>The copied methods of a path, in the generator's order; null for an unknown name.</summary>
    public static IReadOnlyList<MethodSource>? Of(string path) => FaultPathCatalog.NetBsd.SourcesOf(path);

    /// <summary>
    /// The type whose static methods are the path's code (the generic path's class, or a variant's nested class),
    /// for tools that make the JIT compile them; null for an unknown name.
    /// </summary>
    public static Type? TypeOf(string path) => FaultPathCatalog.NetBsd.TypeOf(path);
}
