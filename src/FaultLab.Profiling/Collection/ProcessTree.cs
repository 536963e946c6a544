using System.Diagnostics;
using System.Globalization;

namespace FaultLab.Profiling.Collection;

/// <summary>
/// The processes a command started, seen through <c>/proc</c> (.NET knows only its direct children): who descends
/// from whom, whether one is still alive (a zombie is not), ending a whole tree, and removing the files a .NET
/// runtime leaves in the temporary directory when it is killed.
/// </summary>
public static class ProcessTree
{
    /// <summary>Every live process below <paramref name="pid"/>: its children, theirs, and so on.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var (id, parent, _) in All())
        {
            parents[id] = parent;
        }
        var result = new List<int>();
        foreach (var id in parents.Keys)
        {
            var depth = 0;
            for (var up = parents[id]; up > 1 && depth++ < parents.Count; up = parents.GetValueOrDefault(up))
            {
                if (up == pid)
                {
                    result.Add(id);
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>Whether the process exists and has not exited (a zombie waiting to be reaped has).</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { } stat && stat.State is not ('Z' or 'X');

    /// <summary>Kills every process below <paramref name="pid"/> (not <paramref name="pid"/> itself), waits a little
    /// for each to go, and removes the runtime files of those that were .NET processes. Returns how many it killed.</summary>
    public static int KillDescendants(int pid, TimeSpan wait)
    {
        var killed = Descendants(pid);
        foreach (var id in killed)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // gone already
            }
        }
        var clock = Stopwatch.StartNew();
        foreach (var id in killed)
        {
            while (IsAlive(id) && clock.Elapsed < wait)
            {
                Thread.Sleep(20);
            }
            RuntimeFiles.Remove(id);
        }
        return killed.Count;
    }

    private static IEnumerable<(int Id, int Parent, char State)> All()
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && Stat(id) is { } stat)
            {
                yield return (id, stat.Parent, stat.State);
            }
        }
    }

    /// <summary>The state and parent of <c>/proc/PID/stat</c> ("pid (comm) S ppid ..."; comm may hold spaces and
    /// parentheses, so the fields are read after the last ')').</summary>
    private static (char State, int Parent)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            ? (fields[0][0], parent)
            : null;
    }
}

/// <summary>
/// The files a .NET runtime makes in the temporary directory: its diagnostic socket
/// (<c>dotnet-diagnostic-PID-*-socket</c>) and the debugger's pipes (<c>clr-debug-pipe-PID-*-in/out</c>). It removes
/// them when it shuts down; a killed runtime leaves them. Children the lab starts have the debugger's pipes turned off
/// (<see cref="DisableDebugger"/>), and whatever a killed one left is removed by its pid.
/// </summary>
public static class RuntimeFiles
{
    /// <summary>The variable that keeps a child runtime from making the debugger's pipes (which the lab never uses).</summary>
    public static readonly KeyValuePair<string, string> DisableDebugger = new("DOTNET_EnableDiagnostics_Debugger", "0");

    /// <summary>Removes what the runtime of process <paramref name="pid"/> left; call it only once that process is dead.</summary>
    public static void Remove(int pid)
    {
        var id = pid.ToString(CultureInfo.InvariantCulture);
        foreach (var pattern in new[] { $"dotnet-diagnostic-{id}-*", $"clr-debug-pipe-{id}-*" })
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), pattern))
                {
                    File.Delete(file);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
