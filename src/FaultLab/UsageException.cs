namespace FaultLab.Cli;

/// <summary>The command line is wrong: reported as one line on stderr with a pointer to the verb's help, exit 2.</summary>
internal sealed class UsageException(string message, string? verb = null) : Exception(message)
{
    /// <summary>The verb whose help explains the right usage; null for the tool's own help.</summary>
    public string? Verb { get; } = verb;
}
