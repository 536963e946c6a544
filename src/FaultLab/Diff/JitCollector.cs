using System.CommandLine;
using System.Diagnostics;
using FaultLab.Cli.CommandLine;
using System.Runtime.CompilerServices;
using System.Reflection;
using FaultLab.Core;
using FaultLab.Profiling.Collection;
using FaultLab.Workloads;

namespace FaultLab.Cli.Diff;

/// <summary>
/// Native code of the fault paths: a child process (the hidden verb <c>faultlab jit-host PATH...</c>) makes the
/// JIT compile every method of the paths at full optimisation with <c>DOTNET_JitDisasm</c> listing them into
/// <c>DOTNET_JitStdOutFile</c>; the listings are read back and kept per path.
/// </summary>
internal static class JitCollector
{
    public const string HostVerb = "jit-host";

    /// <summary>The listings of each path's methods, by path name.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired: the child was killed and its
    /// files removed.</exception>
    public static Dictionary<string, List<MethodListing>> Collect(IReadOnlyList<string> paths, TimeSpan timeout,
        CancellationToken cancellation = default)
    {
        string listing = Path.Combine(Path.GetTempPath(), $"faultlab-jit-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Cli).Assembly.Location);
        start.ArgumentList.Add(HostVerb);
        foreach (var p in paths)
            start.ArgumentList.Add(p);
        start.Environment["DOTNET_JitDisasm"] = "*";
        start.Environment["DOTNET_JitStdOutFile"] = listing;
        start.Environment["DOTNET_TieredCompilation"] = "0"; // full optimisation from the first compile
        start.Environment["DOTNET_TieredPGO"] = "0";
        start.Environment[RuntimeFiles.DisableDebugger.Key] = RuntimeFiles.DisableDebugger.Value;
        try
        {
            using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
            var stderr = child.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = child.StandardOutput.ReadToEndAsync(CancellationToken.None);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            wait.CancelAfter(timeout);
            try
            {
                child.WaitForExitAsync(wait.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit(5000);
                RuntimeFiles.Remove(child.Id);
                cancellation.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"the JIT listing child did not finish within {timeout.TotalSeconds:0} s");
            }
            if (child.ExitCode != 0)
                throw new InvalidOperationException($"the JIT listing child failed ({child.ExitCode}): {stderr.Result.Trim()}");
            if (!File.Exists(listing))
                throw new InvalidOperationException("the runtime wrote no JIT listing (DOTNET_JitDisasm is not supported by this runtime?)");
            var methods = JitListing.Parse(File.ReadAllText(listing));
            return paths.ToDictionary(p => p, p => methods.Where(m => BelongsTo(m, p)).ToList());
        }
        finally
        {
            File.Delete(listing);
        }
    }

    /// <summary>Whether a listed method is one of the path's specialized methods.</summary>
    private static bool BelongsTo(MethodListing m, string path)
    {
        var type = FaultSources.TypeOf(path)!;
        string prefix = (type.FullName ?? type.Name) + ":";
        if (!m.FullName.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        if (path != FaultSources.Generic)
            return true;
        int paren = m.Method.IndexOf('(');
        string name = paren < 0 ? m.Method : m.Method[..paren];
        return FaultSources.Of(path)!.Any(s => s.Method == name);
    }

    /// <summary>The hidden verb of the child (not in the help).</summary>
    public static Command CreateHost(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "the paths to compile", Arity = ArgumentArity.OneOrMore };
        var command = new Command(HostVerb, "the child of diff --asm and variants: compiles the paths' methods") { paths };
        command.Hidden = true;
        command.SetAction(parse => Host(parse.GetValue(paths)!, context.Stdout));
        return command;
    }

    /// <summary>The child's side: compile every specialized method of the named paths, then exit.</summary>
    public static int Host(string[] paths, TextWriter stdout)
    {
        // As in any run, the checked configuration is settled before the fault path is compiled (a machine's
        // constructor does it), so the listings show the KASSERTs and lock calls folded away as they are.
        _ = ModelChecks.Enabled;
        foreach (var path in paths)
        {
            var type = FaultSources.TypeOf(path) ?? throw new UsageException($"unknown path {Excerpt.Quote(path)}", HostVerb);
            var names = path == FaultSources.Generic ? FaultSources.Of(path)!.Select(s => s.Method).ToHashSet() : null;
            foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (names is null || names.Contains(method.Name))
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
        stdout.WriteLine($"compiled {paths.Length} path(s)");
        return ExitCodes.Success;
    }
}
