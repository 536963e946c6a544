namespace FaultLab.Generators.Tests;

/// <summary>
/// Small sources for the generator: a minimal copy of FaultCore's declarations the generator relies on, and a
/// tiny class declaring variants, with an entry and a dispatcher, to vary.
/// </summary>
internal static class Synthetic
{
    /// <summary>The facade, the attributes and the enums, in namespace FaultLab.Core as in FaultCore.</summary>
    public const string Declarations = """
        global using System;

        namespace FaultLab.Core;

        public enum Advice : byte { Normal, Random, Sequential }

        public enum Errno : byte { OK, EFAULT, ERESTART }

        internal static class Spec
        {
            public static bool Wired(bool value) => value;
            public static Advice Advice(Advice value) => value;
            public static bool CopyOnWrite(bool value) => value;
        }

        [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
        internal sealed class FaultVariantAttribute(string name) : Attribute
        {
            public string Name { get; } = name;
        }

        [AttributeUsage(AttributeTargets.Method, Inherited = false)]
        internal sealed class FaultPathEntryAttribute : Attribute;

        [AttributeUsage(AttributeTargets.Method, Inherited = false)]
        internal sealed class FaultPathDispatchAttribute(string path) : Attribute
        {
            public string Path { get; } = path;
        }
        """;

    public const string Dispatcher = """
            [FaultPathDispatch("specialized")]
            private static partial Errno Dispatch(bool wired, Advice advice, bool copyOnWrite, int x);

            public static Errno Run(int x) => Dispatch(x > 0, Advice.Normal, x > 1, x);
        """;

    public const string Entry = """
            [FaultPathEntry]
            private static Errno Pass(int x)
            {
                if (Spec.Wired(x > 0))
                    return Errno.EFAULT;
                return Step(x);
            }

            private static Errno Step(int x) =>
                Spec.Advice((Advice)(x % 3)) == Advice.Sequential && Spec.CopyOnWrite(x > 1) ? Errno.ERESTART : Shared(x);

            private static Errno Shared(int x) => x > 2 ? Errno.OK : Errno.EFAULT;
        """;

    /// <summary>Runs the generator on <see cref="Declarations"/> (Source0.cs) plus the given sources (Source1.cs, Source2.cs ...).</summary>
    public static GeneratorRun Run(params string[] sources)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile([Declarations, .. sources]));
        Assert.True(run.Generator.Exception is null, $"the generator threw: {run.Generator.Exception}");
        return run;
    }

    /// <summary>[FaultVariant] lines, one per name.</summary>
    public static string Variants(params string[] names) => string.Concat(names.Select(v => $"[FaultVariant(\"{v}\")]\n"));

    public static readonly string TwoVariants = Variants("wired+normal+cow", "nowire+random+nocow");

    /// <summary>The class declaring the variants: its attribute lines (by default two variants), then its members.</summary>
    public static string Fault(string? attributes = null, string? members = null) =>
        "namespace FaultLab.Core;\n\n" +
        (attributes ?? TwoVariants) +
        "internal static partial class Fault\n{\n" +
        (members ?? Dispatcher + "\n\n" + Entry) +
        "\n}\n";

    /// <summary>The 0-based line of the first line of <paramref name="source"/> containing <paramref name="marker"/>.</summary>
    public static int LineOf(string source, string marker)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.True(line >= 0, $"no line with {marker}");
        Assert.Equal(-1, Array.FindIndex(lines, line + 1, l => l.Contains(marker, StringComparison.Ordinal)));
        return line;
    }
}
