using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FaultLab.Core;

namespace FaultLab.Cli;

/// <summary>
/// <c>faultlab variants [--json]</c>: the specialized variants of the fault path declared in FaultCore
/// (<see cref="FaultVariants.All"/>), what the generator made of each, and which configurations have none and so
/// run the generic path.
/// </summary>
internal static class VariantsCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = new Arguments("variants", args);
        var json = false;
        while (arguments.NextOption())
        {
            switch (arguments.Current)
            {
                case "-h" or "--help":
                    stdout.WriteLine(HelpText.Variants);
                    return ExitCodes.Success;
                case "--json":
                    json = true;
                    break;
                default:
                    throw arguments.Unknown();
            }
        }
        if (arguments.Operands.Count > 0)
        {
            throw arguments.Error($"unexpected argument '{arguments.Operands[0]}'");
        }

        if (json)
        {
            WriteJson(FaultVariants.All, stdout);
        }
        else
        {
            WriteTable(FaultVariants.All, stdout);
        }
        return ExitCodes.Success;
    }

    /// <summary>Every configuration the dispatcher can meet: wired or not × each advice × copy-on-write or not,
    /// named as variants are (<c>wired|nowire+ADVICE+cow|nocow</c>).</summary>
    public static IReadOnlyList<string> Configurations { get; } =
    [
        .. from wired in new[] { false, true }
           from advice in Enum.GetValues<Advice>()
           from cow in new[] { true, false }
           select NameOf(wired, advice, cow),
    ];

    /// <summary>The configurations no variant is declared for: the dispatcher sends them to the generic path.</summary>
    public static IReadOnlyList<string> Fallbacks(IReadOnlyList<FaultVariantInfo> variants) =>
        [.. Configurations.Where(c => !variants.Any(v => NameOf(v.Wired, v.Advice, v.CopyOnWrite) == c))];

    public static void WriteTable(IReadOnlyList<FaultVariantInfo> variants, TextWriter stdout)
    {
        var table = new TextTable("variant", "wired", "advice", "cow", "lines", "methods").AlignRight("lines", "methods");
        foreach (var v in variants)
        {
            table.Add(v.Name, YesNo(v.Wired), AdviceName(v.Advice), YesNo(v.CopyOnWrite), Number(v.GeneratedLines), Number(v.Methods));
        }
        table.Write(stdout);
        stdout.WriteLine();
        stdout.WriteLine("lines: generated source lines of the variant's methods; methods: methods of the generic path it copies.");
        stdout.WriteLine($"{variants.Count} variants, {Number(variants.Sum(v => v.GeneratedLines))} generated lines.");
        var fallbacks = Fallbacks(variants);
        stdout.WriteLine(fallbacks.Count == 0
            ? $"Generic fallback: none; all {Configurations.Count} configurations (wired x advice x cow) have a variant."
            : $"Generic fallback: {fallbacks.Count} of the {Configurations.Count} configurations have no variant and run " +
              $"the generic path: {string.Join(", ", fallbacks)}.");
    }

    /// <summary>An array of <c>{ "name", "wired", "advice", "cow", "generatedLines", "methods" }</c>.</summary>
    public static void WriteJson(IReadOnlyList<FaultVariantInfo> variants, TextWriter stdout)
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
                json.WriteBoolean("wired", v.Wired);
                json.WriteString("advice", AdviceName(v.Advice));
                json.WriteBoolean("cow", v.CopyOnWrite);
                json.WriteNumber("generatedLines", v.GeneratedLines);
                json.WriteNumber("methods", v.Methods);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        stdout.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static string NameOf(bool wired, Advice advice, bool cow) =>
        $"{(wired ? "wired" : "nowire")}+{AdviceName(advice)}+{(cow ? "cow" : "nocow")}";

    private static string AdviceName(Advice advice) => advice.ToString().ToLowerInvariant();

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
