using BenchmarkDotNet.Loggers;

namespace FaultLab.Benchmarks.Running;

/// <summary>BenchmarkDotNet's log onto a <see cref="TextWriter"/> (<c>faultlab bench --verbose</c>).</summary>
public sealed class TextLogger(TextWriter writer) : ILogger
{
    public string Id => nameof(TextLogger);
    public int Priority => 0;
    public void Write(LogKind logKind, string text) => writer.Write(text);
    public void WriteLine() => writer.WriteLine();
    public void WriteLine(LogKind logKind, string text) => writer.WriteLine(text);
    public void Flush() => writer.Flush();
}
