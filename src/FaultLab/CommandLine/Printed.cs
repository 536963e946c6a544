using System.CommandLine;
using FaultLab.Workloads.Output;

namespace FaultLab.Cli.CommandLine;

/// <summary>
/// The one <c>--json</c> / <c>--output</c> convention of the verbs that print a table. <c>--json</c> prints JSON
/// instead of the table; <c>--output FILE</c> sends what is printed (the table, or the JSON) to FILE, checked when
/// the verb starts, before any work. With the JSON on standard output, the other lines the verb prints go to
/// standard error, so that standard output is JSON only. Progress is always on standard error.
/// </summary>
internal sealed class Printed
{
    private readonly OutputPath? file;
    private readonly StringWriter? buffer;

    private Printed(bool json, bool machineFormat, OutputPath? file, CliContext context)
    {
        Json = json;
        this.file = file;
        if (file is null)
        {
            Main = context.Stdout;
            Human = json || machineFormat ? context.Stderr : context.Stdout;
        }
        else
        {
            buffer = new StringWriter { NewLine = "\n" };
            Main = buffer;
            Human = file.IsStandardOutput ? context.Stderr : context.Stdout;
        }
    }

    /// <summary>JSON instead of the table.</summary>
    public bool Json { get; }

    /// <summary>Where the table or the JSON goes.</summary>
    public TextWriter Main { get; }

    /// <summary>Where the verb's other lines go (standard error when standard output is the JSON or the file).</summary>
    public TextWriter Human { get; }

    /// <param name="machineFormat">The table is printed in another form for programs (markdown, CSV): as with
    /// JSON, the other lines then keep off standard output.</param>
    /// <exception cref="OutputPathException">The <c>--output</c> path cannot take the file (exit 2, nothing ran).</exception>
    public static Printed Open(ParseResult parse, Option<bool> json, Option<string?> output, CliContext context,
        bool machineFormat = false) =>
        new(parse.GetValue(json), machineFormat,
            parse.GetValue(output) is { } path ? OutputPath.ForFile(path, "--output", context.Stdout, context.Stderr) : null,
            context);

    /// <summary>Writes what was printed to the <c>--output</c> file, if one was given, and says so.</summary>
    public void Finish(string verb)
    {
        if (file is null)
            return;
        file.WriteText(buffer!.ToString());
        Human.WriteLine($"{verb}: wrote {file.Display}");
    }
}
