namespace FaultLab.Cli.CommandLine;

/// <summary>What every verb's action runs with: the output streams it was given and the signals it answers.</summary>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, Interrupt Interrupt);
