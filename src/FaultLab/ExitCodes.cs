namespace FaultLab.Cli;

/// <summary>The exit statuses of <c>faultlab</c>; a larger one is a worse outcome, so several combine by max.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Everything ran, but some expectation did not hold (or the fuzzer found a violation).</summary>
    public const int Failed = 1;
    /// <summary>Bad command line, or an input that could not be read or parsed.</summary>
    public const int Usage = 2;
    /// <summary>A bug in faultlab itself (EX_SOFTWARE).</summary>
    public const int InternalError = 70;
}
