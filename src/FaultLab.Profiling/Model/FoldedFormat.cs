using System.Globalization;

namespace FaultLab.Profiling.Model;

/// <summary>
/// Brendan Gregg's folded-stacks format, one stack per line: <c>root;caller;leaf COUNT</c>. Lines come in the
/// profile's canonical order, so equal profiles give equal files.
/// </summary>
public static class FoldedFormat
{
    public static void Write(StackProfile profile, TextWriter writer)
    {
        foreach (var stack in profile.Stacks)
        {
            writer.Write(stack.Key);
            writer.Write(' ');
            writer.Write(stack.Count.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    public static string ToText(StackProfile profile)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(profile, writer);
        return writer.ToString();
    }

    /// <summary>Reads folded stacks; blank lines are skipped, anything else malformed is a <see cref="FormatException"/>
    /// naming the line.</summary>
    public static StackProfile Parse(TextReader reader, string source = "input")
    {
        var stacks = new List<(IReadOnlyList<string>, long)>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.TrimEnd();
            if (text.Length == 0)
            {
                continue;
            }
            var space = text.LastIndexOf(' ');
            if (space <= 0
                || !long.TryParse(text.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw new FormatException($"{source}:{number}: expected 'frame;frame;... COUNT'");
            }
            stacks.Add((text[..space].Split(';'), count));
        }
        return StackProfile.From(stacks);
    }

    public static StackProfile ReadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }
}
