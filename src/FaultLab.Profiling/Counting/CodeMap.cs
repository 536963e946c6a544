using System.Diagnostics;
using System.Globalization;

namespace FaultLab.Profiling.Counting;

/// <summary>
/// Names the code at an address of a traced .NET process: JIT-compiled methods from the runtime's perf map
/// (<c>/tmp/perf-PID.map</c>, written with <c>DOTNET_PerfMapEnabled=1</c>), native code by module and nearest
/// dynamic symbol (<c>/proc/PID/maps</c>, <c>nm -D</c>).
/// </summary>
internal sealed class CodeMap
{
    private readonly (ulong Start, ulong End, string Name)[] methods;
    private readonly (ulong Start, ulong End, ulong FileOffset, string Path)[] modules;
    private readonly Dictionary<string, (ulong Address, ulong Size, string Name)[]> symbols = [];

    private CodeMap((ulong, ulong, string)[] methods, (ulong, ulong, ulong, string)[] modules)
    {
        this.methods = methods;
        this.modules = modules;
    }

    /// <summary>The perf map file of process <paramref name="pid"/>.</summary>
    public static string PerfMapPath(int pid) => Path.Combine("/tmp", $"perf-{pid.ToString(CultureInfo.InvariantCulture)}.map");

    /// <summary>Reads the maps of process <paramref name="pid"/> (which must still be alive).</summary>
    public static CodeMap Read(int pid)
    {
        var methods = new List<(ulong, ulong, string)>();
        foreach (var line in File.ReadLines(PerfMapPath(pid)))
        {
            var parts = line.Split(' ', 3);
            // START SIZE NAME, in hex; .NET writes START with a 0x prefix, SIZE without.
            if (parts.Length == 3 && TryHex(parts[0], out var start) && TryHex(parts[1], out var size))
                methods.Add((start, start + size, parts[2]));
        }
        // A method compiled again (a higher tier) is listed again: the later entry wins where they overlap.
        var sorted = methods.Select((m, i) => (m, i)).OrderBy(x => x.m.Item1).ThenByDescending(x => x.i).Select(x => x.m).ToArray();

        var modules = new List<(ulong, ulong, ulong, string)>();
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/maps"))
        {
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 6 || !parts[1].Contains('x') || !parts[5].StartsWith('/'))
                continue;
            var range = parts[0].Split('-');
            modules.Add((ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture), parts[5].Trim()));
        }
        return new CodeMap([.. sorted], [.. modules.OrderBy(m => m.Item1)]);
    }

    /// <summary>The method (or native symbol) the instruction at <paramref name="address"/> belongs to.</summary>
    public string NameOf(ulong address)
    {
        int i = Find(methods, address, m => m.Start);
        if (i >= 0 && address < methods[i].End)
            return methods[i].Name;
        int j = Find(modules, address, m => m.Start);
        if (j < 0 || address >= modules[j].End)
            return $"[unknown 0x{address:x}]";
        var (start, _, offset, path) = modules[j];
        var module = Path.GetFileName(path);
        var symbol = NearestSymbol(path, address - start + offset);
        return symbol is null ? $"[{module}]" : $"[{module}] {symbol}";
    }

    private static bool TryHex(string text, out ulong value) =>
        ulong.TryParse(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan(),
            NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    private static int Find<T>(T[] sorted, ulong address, Func<T, ulong> start)
    {
        int lo = 0, hi = sorted.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (start(sorted[mid]) <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    /// <summary>The dynamic symbol holding a file offset of a module (offsets equal addresses in the shared
    /// objects the runtime loads, whose first segment is at 0); null when none does (code of a local symbol, as
    /// libc's ifunc-selected memset and memcpy are, is named by its module alone).</summary>
    private string? NearestSymbol(string path, ulong offset)
    {
        if (!symbols.TryGetValue(path, out var table))
            symbols[path] = table = ReadSymbols(path);
        int i = Find(table, offset, s => s.Address);
        return i >= 0 && offset < table[i].Address + Math.Max(table[i].Size, 1) ? table[i].Name : null;
    }

    private static (ulong, ulong, string)[] ReadSymbols(string path)
    {
        try
        {
            var info = new ProcessStartInfo("nm", ["-D", "--defined-only", "-S", path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var nm = Process.Start(info)!;
            var list = new List<(ulong, ulong, string)>();
            string? line;
            while ((line = nm.StandardOutput.ReadLine()) is not null)
            {
                // ADDRESS SIZE TYPE NAME (with -S; symbols without a size have no SIZE field)
                var parts = line.Split(' ', 4);
                if (parts.Length == 4 && parts[2] is "T" or "t" or "W" or "i"
                    && ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var address)
                    && ulong.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size))
                    list.Add((address, size, parts[3]));
            }
            nm.WaitForExit();
            return [.. list.OrderBy(s => s.Item1)];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return []; // no nm: native code is named by its module alone
        }
    }
}
