namespace FaultLab.Core;

// The declarations the specializing generator (generators/FaultLab.Generators) reads, by these types' metadata
// names: a fault path names its facade and declares its variants; the facade declares the axes. How they fit
// together: docs/specialization.md.

/// <summary>
/// Marks the facade of a fault path: a static class whose methods marked <see cref="SpecializationAxisAttribute"/>
/// are the path's configuration reads, one axis each, in the order they are declared.
/// </summary>
/// <param name="variantNameSeparator">
/// The naming rule of the variants: a variant's name is its value names, in axis order, joined by this separator
/// (values <c>wired</c>, <c>sequential</c>, <c>cow</c> and "+" make <c>wired+sequential+cow</c>). It must hold no
/// letter or digit, so that a name splits back into its values. The variant's class is its name with each
/// character that is not a letter or a digit made '_' (<c>wired_sequential_cow</c>).
/// </param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class SpecializationFacadeAttribute(string variantNameSeparator) : Attribute
{
    public string VariantNameSeparator { get; } = variantNameSeparator;
}

/// <summary>
/// Declares a method of a facade as a specialization axis. The method is <c>static T M(T value)</c>, T a bool or an
/// enum, and returns its argument: the generic path reads the value through it, a variant reads its constant. Axis
/// and value names are a letter followed by letters and digits.
/// </summary>
/// <param name="name">The axis's name (a column of <c>faultlab variants</c>, a key of its JSON).</param>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class SpecializationAxisAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>A bool axis: the name of its false value (required for a bool axis, not allowed for an enum).</summary>
    public string? WhenFalse { get; set; }

    /// <summary>A bool axis: the name of its true value (required for a bool axis, not allowed for an enum).</summary>
    public string? WhenTrue { get; set; }

    /// <summary>
    /// An enum axis: the names of its values, one per member of the enum in declaration order (members of equal
    /// value are one value). By default each member's name in lower case.
    /// </summary>
    public string[]? ValueNames { get; set; }
}

/// <summary>
/// Marks a class that holds a fault path to specialize: the facade it reads its configuration through. The class
/// declares the variants (<see cref="FaultVariantAttribute"/>), the entry (<see cref="FaultPathEntryAttribute"/>)
/// and the dispatchers (<see cref="FaultPathDispatchAttribute"/>); the generator adds one nested class per variant.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class FaultPathFacadeAttribute(Type facade) : Attribute
{
    public Type Facade { get; } = facade;
}

/// <summary>
/// Declares one specialized variant of the fault path by its value of each of the facade's axes, in the order the
/// facade declares them: <c>[FaultVariant("wired", "sequential", "cow")]</c>. Its name follows the facade's naming
/// rule (<see cref="SpecializationFacadeAttribute.VariantNameSeparator"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
internal sealed class FaultVariantAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>Marks the method each variant is specialized from (one pass of the ReFault loop).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class FaultPathEntryAttribute : Attribute;

/// <summary>
/// Marks a partial method the generator implements as the dispatcher of a path ("specialized" or
/// "monomorphized"): its first parameters are the axes, one per axis of the facade in its order and of its type;
/// the rest are those of the entry, passed on to the entry of the variant of that configuration, and it returns
/// what the entry returns.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class FaultPathDispatchAttribute(string path) : Attribute
{
    public string Path { get; } = path;
}
