using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace FaultLab.Generators;

/// <summary>An immutable array compared by its elements, so that pipeline models stay value-equatable.</summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> items;

    public EquatableArray(ImmutableArray<T> items) => this.items = items;

    public ImmutableArray<T> Items => items.IsDefault ? ImmutableArray<T>.Empty : items;
    public int Length => Items.Length;
    public T this[int i] => Items[i];

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int h = 17;
        foreach (var item in Items)
            h = unchecked(h * 31 + item.GetHashCode());
        return h;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

internal static class EquatableArray
{
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) where T : IEquatable<T> =>
        new(items.ToImmutableArray());
}

/// <summary>Where something is in the source, without holding a Location (which would pin the compilation).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(SyntaxNode node) => From(node.GetLocation());

    /// <summary>A declaration's name: where a diagnostic about the declaration goes (not on its attributes or body).</summary>
    public static LocationInfo? From(SyntaxToken identifier) => From(identifier.GetLocation());

    public static LocationInfo? From(Location location) =>
        location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic found while reading the source, reported when the output is produced.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, string Arg0, string Arg1)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation(), Arg0, Arg1);
}

/// <summary>One value of an axis: its name (in variant names) and the C# expression of its constant.</summary>
internal sealed record AxisValueModel(string Name, string Expression);

/// <summary>
/// One axis of a facade, as its attribute declares it: its name, the facade method that reads it, its type (bool,
/// or an enum: <see cref="TypeText"/> as generated code writes it, <see cref="TypeName"/> as a declaration may
/// name it), and its values in order (a bool axis: false, then true).
/// </summary>
internal sealed record AxisModel(string Name, string Method, bool IsBool, string TypeText, string TypeName, EquatableArray<AxisValueModel> Values);

/// <summary>The facade of a fault path: its name as the path's code writes it, the variants' naming rule, its axes.</summary>
internal sealed record FacadeModel(string Name, string Separator, EquatableArray<AxisModel> Axes)
{
    /// <summary>The declared naming rule: the value names, in axis order, joined by the facade's separator.</summary>
    public string VariantName(IEnumerable<int> values) =>
        string.Join(Separator, values.Select((v, axis) => Axes[axis].Values[v].Name));

    /// <summary>A variant's class: its name with every character that is not a letter or a digit made '_'.</summary>
    public static string Identifier(string name) =>
        new(name.Select(c => c < 128 && char.IsLetterOrDigit(c) ? c : '_').ToArray());
}

/// <summary>One declared variant: its name, its class, and the index of its value of each axis.</summary>
internal sealed record VariantModel(string Name, string Identifier, EquatableArray<int> Values);

/// <summary>
/// Where, in a method's text, an axis is read: a facade call (<see cref="Value"/> -1) or a constant of an enum
/// axis (<see cref="Value"/> the index of the value).
/// </summary>
internal sealed record AxisMark(int Start, int Length, int Axis, int Value);

/// <summary>
/// A method of the generic path, as text, with what the specializer needs to know about it: the names it calls,
/// where it reads the axes, the generator's own attributes on it (which the copies drop), why it cannot be copied,
/// where it is and where its first facade call is.
/// </summary>
internal sealed record MethodModel(
    string Name,
    string Text,
    EquatableArray<string> Callees,
    EquatableArray<AxisMark> FacadeCalls,
    EquatableArray<AxisMark> Constants,
    EquatableArray<TextSpan> GeneratorAttributes,
    string? CannotCopyReason,
    LocationInfo? Location,
    LocationInfo? FirstFacadeCall)
{
    public bool HasFacadeCall => FacadeCalls.Length > 0;
}

/// <summary>
/// A partial dispatcher the generator implements: which path it dispatches ("specialized" or "monomorphized"), its
/// declaration as written, the names of its axis parameters and the arguments it passes on to the entry.
/// </summary>
internal sealed record DispatcherModel(string Name, bool Monomorphized, string Modifiers, string ReturnType, string Parameters,
    EquatableArray<string> AxisParameters, EquatableArray<string> ForwardedArguments);

/// <summary>
/// Everything the emitter needs: the options the class's source was parsed with (to re-parse its methods alike),
/// the class, its facade, its methods, the variants, and what was wrong. <see cref="Facade"/> or
/// <see cref="EntryMethod"/> is null when there is nothing to generate.
/// </summary>
internal sealed record SpecializationModel(
    CSharpParseOptions ParseOptions,
    string Namespace,
    string ClassName,
    string ClassModifiers,
    EquatableArray<string> Usings,
    EquatableArray<string> NamespaceUsings,
    FacadeModel? Facade,
    string? EntryMethod,
    EquatableArray<MethodModel> Methods,
    EquatableArray<VariantModel> Variants,
    EquatableArray<DispatcherModel> Dispatchers,
    EquatableArray<DiagnosticInfo> Diagnostics);
