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

    private static LocationInfo? From(Location location) =>
        location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic found while reading the source, reported when the output is produced.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, string Arg0, string Arg1)
{
    public Diagnostic ToDiagnostic()
    {
        var descriptor = Id switch
        {
            "FLT0001" => DiagnosticDescriptors.DuplicateVariant,
            "FLT0002" => DiagnosticDescriptors.UnknownAxisValue,
            "FLT0003" => DiagnosticDescriptors.UnfoldableFacadeCall,
            "FLT0004" => DiagnosticDescriptors.UncopyableMethod,
            _ => DiagnosticDescriptors.MissingEntry,
        };
        return Diagnostic.Create(descriptor, Location?.ToLocation(), Arg0, Arg1);
    }
}

/// <summary>One declared variant: its name and the constants of its three axes.</summary>
internal sealed record VariantModel(string Name, bool Wired, string Advice, bool CopyOnWrite)
{
    /// <summary>The variant's class name: its name with '+' as '_'.</summary>
    public string Identifier => Name.Replace('+', '_');
}

/// <summary>A method of the generic path, as text, with what the specializer needs to know about it.</summary>
internal sealed record MethodModel(
    string Name,
    string Text,
    EquatableArray<string> Callees,
    bool HasFacadeCall,
    string? CannotCopyReason,
    LocationInfo? Location);

/// <summary>A partial dispatcher the generator implements: which path it dispatches, and its signature.</summary>
internal sealed record DispatcherModel(string Name, string Path, string Modifiers, string ReturnType, string Parameters, EquatableArray<string> ForwardedArguments);

/// <summary>
/// Everything the emitter needs: the options the class's source was parsed with (to re-parse its methods alike),
/// the class, its methods, the variants, and what was wrong.
/// </summary>
internal sealed record SpecializationModel(
    CSharpParseOptions ParseOptions,
    string Namespace,
    string ClassName,
    string ClassModifiers,
    EquatableArray<string> Usings,
    EquatableArray<string> NamespaceUsings,
    string? EntryMethod,
    string EntryParameters,
    EquatableArray<MethodModel> Methods,
    EquatableArray<VariantModel> Variants,
    EquatableArray<DispatcherModel> Dispatchers,
    EquatableArray<DiagnosticInfo> Diagnostics);
