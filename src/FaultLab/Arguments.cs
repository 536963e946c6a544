using FaultLab.Workloads;

namespace FaultLab.Cli;

/// <summary>
/// Walks a verb's arguments: options (<c>--name value</c> or <c>--name=value</c>) and operands, with <c>--</c>
/// ending the options. Hand-written on purpose: the CLI is small and its errors must read well.
/// </summary>
internal sealed class Arguments(string verb, IReadOnlyList<string> args)
{
    private int position;
    private string? pendingValue;

    public string Verb { get; } = verb;

    /// <summary>The current option's name (<c>--seed</c>), or null when the next argument is an operand or the end.</summary>
    public string? Current { get; private set; }

    /// <summary>Operands seen so far, in order.</summary>
    public List<string> Operands { get; } = [];

    /// <summary>Moves to the next option, collecting operands on the way; false at the end.</summary>
    public bool NextOption()
    {
        if (pendingValue is not null)
        {
            throw Error($"option {Excerpt.Quote(Current ?? "")} takes no value");
        }
        while (position < args.Count)
        {
            var arg = args[position++];
            if (arg == "--")
            {
                Operands.AddRange(args.Skip(position));
                position = args.Count;
                break;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                var equals = arg.IndexOf('=');
                (Current, pendingValue) = equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
                return true;
            }
            Operands.Add(arg);
        }
        Current = null;
        return false;
    }

    public string Value()
    {
        if (pendingValue is { } inline)
        {
            pendingValue = null;
            return inline;
        }
        return position < args.Count
            ? args[position++]
            : throw Error($"option {Excerpt.Quote(Current ?? "")} needs a value");
    }

    public long Integer(long min, long max)
    {
        var text = Value();
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max
            ? value
            : throw Error($"option {Excerpt.Quote(Current ?? "")} needs a whole number from {min} to {max}, got {Excerpt.Quote(text)}");
    }

    public UsageException Unknown() => Error($"unknown option {Excerpt.Quote(Current ?? "")}");

    public UsageException Error(string message) => new(message, Verb);
}
