namespace FaultLab.Generators.Tests;

/// <summary>
/// Small sources for the generator: FaultCore's own attribute declarations (read from the repository, so that the
/// tests use what the model uses), a copy of its facade and enums, and a tiny fault path to vary.
/// </summary>
internal static class Synthetic
{
    /// <summary>Where FaultCore declares the generator's attributes.</summary>
    public const string AttributesFile = "src/FaultCore/Shared/Specialization/Attributes.cs";

    /// <summary>The attribute declarations, as FaultCore has them.</summary>
    public static string Attributes => GeneratorHarness.FaultCoreSources[AttributesFile];

    /// <summary>The facade and the enums, in namespace FaultLab.Core as in FaultCore (Source0.cs of a synthetic run).</summary>
    public const string Declarations = """
        global using System;
        global using System.Collections.Generic;

        namespace FaultLab.Core;

        public enum Advice : byte { Normal, Random, Sequential }

        public enum Errno : byte { OK, EFAULT, ERESTART }

        [SpecializationFacade(variantNameSeparator: "+")]
        internal static class Spec
        {
        """ + SpecAxes + """

        }
        """;

    /// <summary>The members of the synthetic facade: its three axes, as FaultCore declares them.</summary>
    public const string SpecAxes = """
            [SpecializationAxis("wired", WhenFalse = "nowire", WhenTrue = "wired")]
            public static bool Wired(bool value) => value;

            [SpecializationAxis("advice")]
            public static Advice Advice(Advice value) => value;

            [SpecializationAxis("cow", WhenFalse = "nocow", WhenTrue = "cow")]
            public static bool CopyOnWrite(bool value) => value;
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

    /// <summary>
    /// Compiles the attributes (Attributes.cs), <see cref="Declarations"/> (Source0.cs) and the given sources
    /// (Source1.cs, Source2.cs ...), as the harness compiles FaultCore.
    /// </summary>
    public static Microsoft.CodeAnalysis.CSharp.CSharpCompilation Compile(params string[] sources) =>
        GeneratorHarness.Compile("Synthetic",
            [GeneratorHarness.Parse(Attributes, "Attributes.cs"), .. new[] { Declarations }.Concat(sources).Select((s, i) => GeneratorHarness.Parse(s, $"Source{i}.cs"))]);

    /// <summary>Runs the generator on the attributes, <see cref="Declarations"/> and the given sources.</summary>
    public static GeneratorRun Run(params string[] sources)
    {
        var run = GeneratorHarness.Run(Compile(sources));
        Assert.True(run.Generator.Exception is null, $"the generator threw: {run.Generator.Exception}");
        return run;
    }

    /// <summary>[FaultVariant] lines, one per variant named by the facade's rule ("wired+normal+cow": its values joined by '+').</summary>
    public static string Variants(params string[] names) =>
        string.Concat(names.Select(v => $"[FaultVariant({string.Join(", ", v.Split('+').Select(p => $"\"{p}\""))})]\n"));

    public static readonly string TwoVariants = Variants("wired+normal+cow", "nowire+random+nocow");

    /// <summary>The fault path's class: [FaultPathFacade(typeof(Spec))], its variant lines (by default two), then its members.</summary>
    public static string Fault(string? attributes = null, string? members = null) =>
        "namespace FaultLab.Core;\n\n" +
        "[FaultPathFacade(typeof(Spec))]\n" +
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
