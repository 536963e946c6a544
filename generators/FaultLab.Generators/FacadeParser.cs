using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace FaultLab.Generators;

/// <summary>The generator's attribute types, by metadata name, as the compilation has them (null when it has none).</summary>
internal sealed class KnownTypes(Compilation compilation)
{
    public const string PathFacadeAttributeName = "FaultLab.Core.FaultPathFacadeAttribute";
    public const string VariantAttributeName = "FaultLab.Core.FaultVariantAttribute";
    public const string EntryAttributeName = "FaultLab.Core.FaultPathEntryAttribute";
    public const string DispatchAttributeName = "FaultLab.Core.FaultPathDispatchAttribute";
    public const string FacadeAttributeName = "FaultLab.Core.SpecializationFacadeAttribute";
    public const string AxisAttributeName = "FaultLab.Core.SpecializationAxisAttribute";

    public INamedTypeSymbol? PathFacadeAttribute { get; } = compilation.GetTypeByMetadataName(PathFacadeAttributeName);
    public INamedTypeSymbol? VariantAttribute { get; } = compilation.GetTypeByMetadataName(VariantAttributeName);
    public INamedTypeSymbol? EntryAttribute { get; } = compilation.GetTypeByMetadataName(EntryAttributeName);
    public INamedTypeSymbol? DispatchAttribute { get; } = compilation.GetTypeByMetadataName(DispatchAttributeName);
    public INamedTypeSymbol? FacadeAttribute { get; } = compilation.GetTypeByMetadataName(FacadeAttributeName);
    public INamedTypeSymbol? AxisAttribute { get; } = compilation.GetTypeByMetadataName(AxisAttributeName);

    /// <summary>The attributes of <paramref name="symbol"/> of that type.</summary>
    public static IEnumerable<AttributeData> Of(ISymbol symbol, INamedTypeSymbol? type) =>
        type is null ? [] : symbol.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, type));
}

/// <summary>
/// A facade read from its declarations: the model the emitter sees, and the symbols the parser binds the path's
/// facade calls and axis constants to (these never leave the parse step).
/// </summary>
internal sealed class FacadeSymbols
{
    public FacadeSymbols(FacadeModel model, ImmutableArray<IMethodSymbol> methods, ImmutableArray<INamedTypeSymbol?> enums,
        ImmutableArray<ImmutableArray<object?>> constants)
    {
        Model = model;
        Methods = methods;
        Enums = enums;
        Constants = constants;
        MethodNames = new HashSet<string>(methods.Select(m => m.Name), StringComparer.Ordinal);
        MemberNames = new HashSet<string>(enums.Where(e => e is not null).SelectMany(e => e!.GetMembers().OfType<IFieldSymbol>().Select(f => f.Name)), StringComparer.Ordinal);
    }

    public FacadeModel Model { get; }

    /// <summary>Per axis: the facade method that reads it.</summary>
    public ImmutableArray<IMethodSymbol> Methods { get; }

    /// <summary>Per axis: its enum, or null for a bool axis.</summary>
    public ImmutableArray<INamedTypeSymbol?> Enums { get; }

    /// <summary>Per axis: the constant of each value (an enum axis: the members' constant values).</summary>
    public ImmutableArray<ImmutableArray<object?>> Constants { get; }

    /// <summary>The names of the facade's axis methods: only invocations of these names are bound.</summary>
    public HashSet<string> MethodNames { get; }

    /// <summary>The names of the members of the axes' enums: only names of these are bound.</summary>
    public HashSet<string> MemberNames { get; }

    /// <summary>The axis <paramref name="method"/> reads, or -1.</summary>
    public int AxisOf(IMethodSymbol method)
    {
        for (int i = 0; i < Methods.Length; i++)
            if (SymbolEqualityComparer.Default.Equals(Methods[i], method.OriginalDefinition))
                return i;
        return -1;
    }

    /// <summary>The (axis, value) a field of an axis's enum is, or (-1, -1).</summary>
    public (int Axis, int Value) ValueOf(IFieldSymbol field)
    {
        for (int i = 0; i < Enums.Length; i++)
            if (Enums[i] is { } e && SymbolEqualityComparer.Default.Equals(e, field.ContainingType) && field.HasConstantValue)
                return (i, Constants[i].IndexOf(field.ConstantValue));
        return (-1, -1);
    }
}

/// <summary>Reads a facade's declarations: the [SpecializationFacade] class and its [SpecializationAxis] methods.</summary>
internal static class FacadeParser
{
    /// <summary>
    /// The facade <paramref name="facade"/>, or null (with diagnostics) when it is not a valid one.
    /// <paramref name="typeText"/> says how generated code writes an enum type; <paramref name="reference"/> is
    /// where the path names the facade.
    /// </summary>
    public static FacadeSymbols? Read(INamedTypeSymbol facade, KnownTypes known, Func<INamedTypeSymbol, string> typeText,
        LocationInfo? reference, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        string name = facade.Name;
        var marker = KnownTypes.Of(facade, known.FacadeAttribute).FirstOrDefault();
        if (marker is null)
        {
            diagnostics.Add(new DiagnosticInfo("FLT0009", reference, name,
                $"is not a specialization facade: mark it [SpecializationFacade(variantNameSeparator: ...)] and its axes [SpecializationAxis(...)]"));
            return null;
        }
        bool valid = true;
        string separator = OnlyArgument(marker)?.Value as string ?? "";
        if (separator.Length == 0 || separator.Any(char.IsLetterOrDigit) || separator.Any(char.IsWhiteSpace))
        {
            diagnostics.Add(new DiagnosticInfo("FLT0009", Where(marker, ct) ?? reference, name,
                $"has the variant name separator '{separator}': it must be non-empty, with no letter, digit or space, so that a variant's name splits back into its values"));
            valid = false;
        }

        var axes = new List<AxisModel>();
        var methods = ImmutableArray.CreateBuilder<IMethodSymbol>();
        var enums = ImmutableArray.CreateBuilder<INamedTypeSymbol?>();
        var constants = ImmutableArray.CreateBuilder<ImmutableArray<object?>>();
        foreach (var method in facade.GetMembers().OfType<IMethodSymbol>())
        {
            var attribute = KnownTypes.Of(method, known.AxisAttribute).FirstOrDefault();
            if (attribute is null)
                continue;
            var where = method.Locations.Length > 0 ? LocationInfo.From(method.Locations[0]) : Where(attribute, ct);
            var axis = ReadAxis(method, attribute, typeText, out var enumType, out var values, out string? problem);
            if (problem is null && axes.Any(a => a.Name == axis!.Name))
                problem = "is declared twice: axes have distinct names";
            if (problem is null && axes.Any(a => a.Method == method.Name))
                problem = $"is read by {method.Name}, which another axis is read by too: axis methods have distinct names";
            if (problem is not null)
            {
                diagnostics.Add(new DiagnosticInfo("FLT0008", where, axis?.Name ?? NameOf(attribute), problem));
                valid = false;
                continue;
            }
            axes.Add(axis!);
            methods.Add(method);
            enums.Add(enumType);
            constants.Add(values);
        }
        if (axes.Count == 0 && valid)
        {
            diagnostics.Add(new DiagnosticInfo("FLT0009", facade.Locations.Length > 0 ? LocationInfo.From(facade.Locations[0]) : reference, name,
                "declares no axis: mark each of its configuration reads [SpecializationAxis(...)]"));
            valid = false;
        }
        return valid
            ? new FacadeSymbols(new FacadeModel(name, separator, axes.ToEquatableArray()), methods.ToImmutable(), enums.ToImmutable(), constants.ToImmutable())
            : null;
    }

    /// <summary>One axis, or null with the problem.</summary>
    private static AxisModel? ReadAxis(IMethodSymbol method, AttributeData attribute, Func<INamedTypeSymbol, string> typeText,
        out INamedTypeSymbol? enumType, out ImmutableArray<object?> constants, out string? problem)
    {
        enumType = null;
        constants = [];
        string name = NameOf(attribute);
        var named = attribute.NamedArguments.ToDictionary(a => a.Key, a => a.Value);
        string? whenFalse = named.TryGetValue("WhenFalse", out var f) ? f.Value as string : null;
        string? whenTrue = named.TryGetValue("WhenTrue", out var t) ? t.Value as string : null;
        var valueNames = named.TryGetValue("ValueNames", out var v) && v.Kind == TypedConstantKind.Array && !v.IsNull
            ? v.Values.Select(c => c.Value as string ?? "").ToList()
            : null;

        problem = null;
        var type = method.ReturnType;
        if (!IsName(name))
            problem = "is not a name: an axis's name is a letter followed by letters and digits";
        else if (!method.IsStatic || method.IsGenericMethod || method.Parameters.Length != 1 || method.Parameters[0].RefKind != RefKind.None
                 || method.ReturnsByRef || method.ReturnsByRefReadonly || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, type))
            problem = $"must be read by a method 'static T {method.Name}(T value)' that returns its argument, T a bool or an enum";
        else if (type.SpecialType != SpecialType.System_Boolean && type.TypeKind != TypeKind.Enum)
            problem = $"is of type {type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}: an axis is a bool or an enum";
        if (problem is not null)
            return null;

        List<string> names;
        string typeName;
        string text;
        var expressions = new List<string>();
        if (type.SpecialType == SpecialType.System_Boolean)
        {
            if (whenFalse is null || whenTrue is null || valueNames is not null)
            {
                problem = "is a bool axis: it names its values with WhenFalse and WhenTrue (and no ValueNames)";
                return null;
            }
            names = [whenFalse, whenTrue];
            typeName = text = "bool";
            expressions.AddRange(["false", "true"]);
            constants = [false, true];
        }
        else
        {
            enumType = (INamedTypeSymbol)type;
            // Members of equal value are one value, named by the first.
            var members = enumType.GetMembers().OfType<IFieldSymbol>().Where(m => m.HasConstantValue)
                .GroupBy(m => m.ConstantValue).Select(g => g.First()).ToList();
            typeName = enumType.Name;
            text = typeText(enumType);
            if (whenFalse is not null || whenTrue is not null)
                problem = $"is an enum axis: WhenFalse and WhenTrue name a bool axis's values; name its values by {enumType.Name}'s members, or with ValueNames";
            else if (members.Count == 0)
                problem = $"is of the enum {enumType.Name}, which has no members";
            else if (valueNames is not null && valueNames.Count != members.Count)
                problem = $"gives {valueNames.Count} value name(s) for the {members.Count} values of {enumType.Name} ({string.Join(", ", members.Select(m => m.Name))})";
            if (problem is not null)
                return null;
            names = valueNames ?? members.Select(m => m.Name.ToLowerInvariant()).ToList();
            expressions.AddRange(members.Select(m => $"{text}.{m.Name}"));
            constants = members.Select(m => m.ConstantValue).ToImmutableArray();
        }
        if (names.FirstOrDefault(n => !IsName(n)) is { } bad)
            problem = $"has the value name '{bad}': a value's name is a letter followed by letters and digits{(valueNames is null && enumType is not null ? " (give the names with ValueNames)" : "")}";
        else if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            problem = $"names two of its values '{twice.Key}': the values of an axis have distinct names";
        if (problem is not null)
            return null;
        return new AxisModel(name, method.Name, enumType is null, text, typeName,
            names.Zip(expressions, (n, e) => new AxisValueModel(n, e)).ToEquatableArray());
    }

    private static string NameOf(AttributeData attribute) => OnlyArgument(attribute)?.Value as string ?? "";

    /// <summary>A letter followed by letters and digits (ASCII): a name that is also part of an identifier.</summary>
    public static bool IsName(string name) =>
        name.Length > 0 && IsAsciiLetter(name[0]) && name.All(c => IsAsciiLetter(c) || c is >= '0' and <= '9');

    private static bool IsAsciiLetter(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    /// <summary>The attribute's constructor argument when it has exactly one.</summary>
    public static TypedConstant? OnlyArgument(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0] : null;

    public static LocationInfo? Where(AttributeData attribute, CancellationToken ct) =>
        attribute.ApplicationSyntaxReference is { } r ? LocationInfo.From(r.GetSyntax(ct)) : null;
}
