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

/// <summary>The variants declared in FaultCore (NetBsd/Fault/UvmFault.Variants.cs), in declaration order, and their axes.</summary>
public static class FaultVariants
{
    private static readonly FaultAxis[] axes = Array.ConvertAll(UvmFault.VariantAxes, a => new FaultAxis(a.Name, a.ValueNames, a.Values));

    private static readonly FaultVariantInfo[] all = Array.ConvertAll(UvmFault.VariantCatalog, v => new FaultVariantInfo(
        v.Name, v.Class.Name,
        [.. axes.Select((a, i) => new FaultAxisValue(a.Name, a.ValueNames[IndexOf(a.Values, v.Values[i])], v.Values[i]))],
        v.GeneratedLines, v.Methods));

    private static readonly Dictionary<string, Type> classes = UvmFault.VariantCatalog.ToDictionary(v => v.Name, v => v.Class);

    /// <summary>The axes, in the order the facade (Spec) declares them.</summary>
    public static IReadOnlyList<FaultAxis> Axes => axes;

    public static IReadOnlyList<FaultVariantInfo> All => all;

    /// <summary>
    /// Every configuration the dispatcher can meet (every combination of the axes' values), named as a variant of
    /// it is named; those no variant is declared for run the generic path.
    /// </summary>
    public static IReadOnlyList<string> Configurations { get; } = UvmFault.VariantConfigurations;

    /// <summary>The variant of that name, or null.</summary>
    public static FaultVariantInfo? Find(string name) => Array.Find(all, v => v.Name == name);

    /// <summary>The nested class of the variant of that name, or null.</summary>
    internal static Type? ClassOf(string name) => classes.GetValueOrDefault(name);

    private static int IndexOf(IReadOnlyList<object> values, object value)
    {
        for (int i = 0; i < values.Count; i++)
            if (values[i].Equals(value))
                return i;
        throw new InvalidOperationException($"{value} is not a value of its axis");
    }
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
        path == Generic ? typeof(UvmFault) : FaultVariants.ClassOf(path);
}
