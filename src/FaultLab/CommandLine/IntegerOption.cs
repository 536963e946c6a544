using System.CommandLine;
using System.Globalization;
using FaultLab.Workloads;

namespace FaultLab.Cli.CommandLine;

/// <summary>
/// A whole-number option with its limits: the value is checked while parsing (a parse error, exit 2, naming the
/// option, its range and what was given), and the limits stay readable so a test can hold every verb's options
/// with the same name to the same range.
/// </summary>
internal sealed class IntegerOption : Option<long>
{
    public long Min { get; }
    public long Max { get; }

    public IntegerOption(string name, string description, long min, long max, long? defaultValue, string valueName = "N")
        : base(name)
    {
        Min = min;
        Max = max;
        Description = description;
        HelpName = valueName;
        if (defaultValue is { } given)
            DefaultValueFactory = _ => given;
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return defaultValue ?? 0;
            var text = result.Tokens[0].Value;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                return value;
            result.AddError($"option '{name}' needs a whole number from {min} to {max}, got {Excerpt.Quote(text)}");
            return defaultValue ?? 0;
        };
    }
}
