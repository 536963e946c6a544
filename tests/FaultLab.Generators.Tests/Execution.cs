using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace FaultLab.Generators.Tests;

/// <summary>Runs generated code: the output of a generator run, emitted and loaded into a collectible context.</summary>
internal sealed class Execution : IDisposable
{
    private readonly AssemblyLoadContext context = new("FaultLab.Generators.Tests.Execution", isCollectible: true);

    public Assembly Assembly { get; }

    public Execution(GeneratorRun run)
    {
        using var image = new MemoryStream();
        var result = run.Output.Emit(image);
        Assert.True(result.Success, "the generated code does not compile:\n" +
            string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        Assembly = context.LoadFromStream(image);
    }

    /// <summary>A type by its metadata name ("Ns.Outer+Nested").</summary>
    public Type Type(string name) => Assembly.GetType(name, throwOnError: true)!;

    /// <summary>Calls the static method <paramref name="method"/> of <paramref name="type"/> (whatever its accessibility).</summary>
    public object? Call(string type, string method, params object?[] arguments) =>
        Type(type).GetMethod(method, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.Invoke(null, arguments);

    public void Dispose() => context.Unload();
}
