using System.Buffers;
using System.CommandLine;
using FaultLab.Cli.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FaultLab.Core;
using FaultLab.Workloads;
using FaultLab.Workloads.Output;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab variants [--json]</c>: the specialized variants of the fault path declared in FaultCore
/// (<see cref="FaultVariants.All"/>), what the generator made of each, and which configurations have none and so
/// run the generic path.
/// </summary>
internal static class VariantsCommand
{
    public static Command Create(CliContext context)
    {
        var json = CliOptions.Json();
        var output = CliOptions.Output();
        var noNative = CliOptions.Flag("--no-native", "skip the native code sizes (no child process; they print as - or null)");
        var command = new Verb("variants", "list the specialized variants of the fault path the generator made", """
            Lists the specialized variants of the fault path declared in FaultCore (one per configuration: wired or
            not, the advice, copy-on-write or not), each with the lines of source the generator produced for it and
            the number of methods of the generic path it has its own copy of, and the bytes of IL and of native code
            (the JIT's, at full optimisation, measured in a child process) of those methods. A last line names the
            configurations that have no variant: the dispatcher runs the generic path for them. With --json: an array
            of { "name", "wired", "advice", "cow", "generatedLines", "methods", "ilBytes", "nativeBytes" }.

            Exit status: 0; 2 bad usage.
            """)
        {
            json, output, noNative,
        };
        command.SetAction(parse => Run(!parse.GetValue(noNative), Printed.Open(parse, json, output, context), context));
        return command;
    }

    private static int Run(bool native, Printed printed, CliContext context)
    {
        var (stderr, interrupt, json, stdout) = (context.Stderr, context.Interrupt, printed.Json, printed.Main);
        var sizes = CodeSizes(native, stderr, interrupt.Token);
        if (json)
        {
            WriteJson(FaultVariants.All, stdout, sizes);
        }
        else
        {
            WriteTable(FaultVariants.All, stdout, sizes);
        }
        printed.Finish("variants");
        return ExitCodes.Success;
    }

    /// <summary>IL bytes and native code bytes of a path's specialized methods (native null when not measured).</summary>
    public sealed record CodeSize(int IlBytes, int? NativeBytes);

    /// <summary>
    /// The code sizes of every path (generic and each variant): IL from the methods' bodies, native code from one
    /// child process that makes the JIT compile them all at full optimisation (as <c>diff --asm</c> does).
    /// </summary>
    public static Dictionary<string, CodeSize> CodeSizes(bool native, TextWriter stderr, CancellationToken cancellation = default)
    {
        Dictionary<string, List<Diff.MethodListing>>? listings = null;
        if (native)
        {
            try
            {
                listings = Diff.JitCollector.Collect(FaultSources.PathNames, TimeSpan.FromSeconds(120), cancellation);
            }
            catch (InvalidOperationException e)
            {
                stderr.WriteLine($"faultlab: warning: native code sizes unavailable: {e.Message}");
            }
        }
        return FaultSources.PathNames.ToDictionary(p => p,
            p => new CodeSize(IlBytes(p), listings?[p].Sum(m => m.CodeBytes)));
    }

    /// <summary>IL bytes of a path's specialized methods (for generic: the methods the variants copy).</summary>
    public static int IlBytes(string path)
    {
        var type = FaultSources.TypeOf(path)!;
        var names = path == FaultSources.Generic ? FaultSources.Of(path)!.Select(m => m.Method).ToHashSet() : null;
        return type.GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public |
                               System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly)
            .Where(m => names is null || names.Contains(m.Name))
            .Sum(m => m.GetMethodBody()?.GetILAsByteArray()?.Length ?? 0);
    }

    /// <summary>Every configuration the dispatcher can meet (every combination of the axes' values), named as variants are.</summary>
    public static IReadOnlyList<string> Configurations => FaultVariants.Configurations;

    /// <summary>The configurations no variant is declared for: the dispatcher sends them to the generic path.</summary>
    public static IReadOnlyList<string> Fallbacks(IReadOnlyList<FaultVariantInfo> variants) =>
        [.. Configurations.Where(c => !variants.Any(v => v.Name == c))];

    /// <summary>A column per axis, after the variant's name: yes/no for a bool axis, the value's name for an enum axis.</summary>
    public static void WriteTable(IReadOnlyList<FaultVariantInfo> variants, TextWriter stdout, Dictionary<string, CodeSize>? sizes = null)
    {
        string[] axes = [.. FaultVariants.Axes.Select(a => a.Name)];
        var table = new Table(["variant", .. axes, "lines", "methods", "il", "native"])
            .AlignRight("lines", "methods", "il", "native");
        foreach (var v in variants)
        {
            var size = sizes?.GetValueOrDefault(v.Name);
            table.Add([v.Name, .. v.Axes.Select(a => a.Value is bool b ? YesNo(b) : a.Name), Number(v.GeneratedLines), Number(v.Methods),
                size is null ? "-" : Number(size.IlBytes), size?.NativeBytes is int n ? Number(n) : "-"]);
        }
        table.WriteText(stdout);
        stdout.WriteLine();
        stdout.WriteLine("lines: generated source lines of the variant's methods; methods: methods of the generic path it copies;");
        stdout.WriteLine("il, native: bytes of IL and of native code (JIT, full optimisation) of those methods.");
        if (sizes?.GetValueOrDefault(FaultSources.Generic) is { } g)
            stdout.WriteLine($"The generic path's same methods: {Number(g.IlBytes)} bytes of IL, {(g.NativeBytes is int gn ? Number(gn) : "-")} bytes of native code.");
        stdout.WriteLine($"{variants.Count} variants, {Number(variants.Sum(v => v.GeneratedLines))} generated lines.");
        var fallbacks = Fallbacks(variants);
        stdout.WriteLine(fallbacks.Count == 0
            ? $"Generic fallback: none; all {Configurations.Count} configurations ({string.Join(" x ", axes)}) have a variant."
            : $"Generic fallback: {fallbacks.Count} of the {Configurations.Count} configurations have no variant and run " +
              $"the generic path: {string.Join(", ", fallbacks)}.");
    }

    /// <summary>
    /// An array of <c>{ "name", one key per axis, "generatedLines", "methods", "ilBytes", "nativeBytes" }</c>: today
    /// <c>"wired"</c>, <c>"advice"</c>, <c>"cow"</c>; a bool axis's value is a JSON bool, an enum axis's its name.
    /// </summary>
    public static void WriteJson(IReadOnlyList<FaultVariantInfo> variants, TextWriter stdout, Dictionary<string, CodeSize>? sizes = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // Names hold '+'; nothing here goes into HTML, so the relaxed encoder keeps them readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartArray();
            foreach (var v in variants)
            {
                json.WriteStartObject();
                json.WriteString("name", v.Name);
                foreach (var axis in v.Axes)
                {
                    if (axis.Value is bool b) json.WriteBoolean(axis.Axis, b); else json.WriteString(axis.Axis, axis.Name);
                }
                json.WriteNumber("generatedLines", v.GeneratedLines);
                json.WriteNumber("methods", v.Methods);
                var size = sizes?.GetValueOrDefault(v.Name);
                if (size is null) json.WriteNull("ilBytes"); else json.WriteNumber("ilBytes", size.IlBytes);
                if (size?.NativeBytes is int native) json.WriteNumber("nativeBytes", native); else json.WriteNull("nativeBytes");
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        stdout.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
