using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace FaultLab.Generators.Tests;

/// <summary>
/// The generator knows no fault path: nothing in generators/ names the model's facade, axes, values, enums, path
/// class or its methods (UVM's functions), nor spells the variants' naming rule. What it knows it reads from the
/// declarations, which is what lets a new family or a new axis come with no generator change (NewAxisTests).
/// </summary>
public sealed class GeneratorVocabularyTests
{
    private static readonly string GeneratorDir = Path.Combine(RepositoryRoot.Path, "generators", "FaultLab.Generators");

    private static IEnumerable<(string File, string Text)> GeneratorFiles() =>
        Directory.EnumerateFiles(GeneratorDir, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(GeneratorDir, f), File.ReadAllText(f)));

    /// <summary>
    /// The model's names, read from FaultCore's compilation: the facade and its axis methods, the axes' names,
    /// value names and enums (with their members), the fault path's class and its methods. Names of the model
    /// that are names of the generator's own attributes' vocabulary (FaultPath..., Fault...) are not among them.
    /// </summary>
    private static (HashSet<string> CaseSensitive, HashSet<string> AnyCase) ModelNames()
    {
        var compilation = GeneratorHarness.FaultCoreRun.Input;
        var path = compilation.GetTypeByMetadataName("FaultLab.Core.UvmFault")!;
        var facade = (INamedTypeSymbol)path.GetAttributes().Single(a => a.AttributeClass?.Name == "FaultPathFacadeAttribute").ConstructorArguments[0].Value!;
        var identifiers = new HashSet<string>(StringComparer.Ordinal) { facade.Name, path.Name };
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "uvm", "netbsd", "freebsd" };
        foreach (var method in facade.GetMembers().OfType<IMethodSymbol>())
        {
            var axis = method.GetAttributes().SingleOrDefault(a => a.AttributeClass?.Name == "SpecializationAxisAttribute");
            if (axis is null)
                continue;
            identifiers.Add(method.Name);
            words.Add((string)axis.ConstructorArguments[0].Value!);
            foreach (var named in axis.NamedArguments)
                foreach (var value in named.Value.Kind == TypedConstantKind.Array ? named.Value.Values : [named.Value])
                    words.Add((string)value.Value!);
            if (method.ReturnType is INamedTypeSymbol { TypeKind: TypeKind.Enum } e)
            {
                identifiers.Add(e.Name);
                foreach (var member in e.GetMembers().OfType<IFieldSymbol>())
                    words.Add(member.Name);
            }
        }
        foreach (var method in path.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary))
            identifiers.Add(method.Name);
        return (identifiers, words);
    }

    [Fact]
    public void The_model_s_names_are_read_from_its_declarations()
    {
        // A control for the test below: these are the names it looks for.
        var (identifiers, words) = ModelNames();
        Assert.Superset(new HashSet<string>(["Spec", "Wired", "Advice", "CopyOnWrite", "UvmFault", "FaultPass", "FaultCheck", "UpperLookup", "LowerIo"]), identifiers);
        Assert.Superset(new HashSet<string>(["wired", "nowire", "advice", "normal", "random", "sequential", "cow", "nocow", "uvm"], StringComparer.OrdinalIgnoreCase), words);
    }

    [Fact]
    public void Nothing_in_the_generator_names_the_model()
    {
        var (identifiers, words) = ModelNames();
        var found = new List<string>();
        foreach (var (file, text) in GeneratorFiles())
        {
            foreach (var name in identifiers)
                foreach (Match m in Regex.Matches(text, $@"\b{Regex.Escape(name)}\b"))
                    found.Add($"{file}:{Line(text, m.Index)}: {name}");
            foreach (var word in words)
                foreach (Match m in Regex.Matches(text, $@"\b{Regex.Escape(word)}\b", RegexOptions.IgnoreCase))
                    found.Add($"{file}:{Line(text, m.Index)}: {word}");
        }
        Assert.True(found.Count == 0, "the generator names the model:\n" + string.Join("\n", found.Distinct()));
    }

    [Fact]
    public void Nothing_in_the_generator_spells_the_variants_naming_rule()
    {
        // The rule is declared in FaultCore ([SpecializationFacade(variantNameSeparator: "+")]): no '+' as a separator here.
        var found = GeneratorFiles().Where(f => f.File.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => Regex.Matches(f.Text, @"'\+'|""\+""").Select(m => $"{f.File}:{Line(f.Text, m.Index)}: {m.Value}"))
            .ToList();
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private static int Line(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;
}
