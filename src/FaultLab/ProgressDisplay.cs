namespace FaultLab.Cli;

/// <summary>
/// Progress on stderr: on a terminal one line rewritten in place, otherwise (a log, a test) only the lines worth
/// keeping, so that a redirected run does not fill its log with counters.
/// </summary>
internal sealed class ProgressDisplay(TextWriter writer)
{
    private int lastLength;

    /// <summary>stderr is this process's console and not redirected.</summary>
    public bool Interactive { get; } = ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>A passing state: shown in place on a terminal, dropped otherwise.</summary>
    public void Update(string text)
    {
        if (!Interactive)
            return;
        writer.Write("\r" + text.PadRight(lastLength));
        lastLength = text.Length;
    }

    /// <summary>A line to keep.</summary>
    public void Line(string text)
    {
        if (Interactive && lastLength > 0)
        {
            writer.Write("\r" + new string(' ', lastLength) + "\r");
            lastLength = 0;
        }
        writer.WriteLine(text);
    }

    /// <summary>Clears a passing state before other output.</summary>
    public void Done()
    {
        if (Interactive && lastLength > 0)
        {
            writer.Write("\r" + new string(' ', lastLength) + "\r");
            lastLength = 0;
        }
    }
}
