using System.Globalization;

namespace FaultLab.Profiling.Writers;

/// <summary>An sRGB colour, written as <c>rgb(r,g,b)</c>.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"rgb({R},{G},{B})");
}

/// <summary>Frame colours that depend on the frame's name only, so a frame keeps its colour across graphs.</summary>
public static class FrameColors
{
    /// <summary>The classic warm palette of flame graphs (reds, oranges, yellows), picked by a hash of the name.</summary>
    public static Rgb Warm(string name)
    {
        var hash = Fnv1a(name);
        double v1 = (hash & 0xFF) / 255.0, v2 = ((hash >> 8) & 0xFF) / 255.0, v3 = ((hash >> 16) & 0xFF) / 255.0;
        return new Rgb((byte)(205 + 50 * v3), (byte)(230 * v1), (byte)(55 * v2));
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across runs and platforms (unlike string.GetHashCode).</summary>
    public static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ (c & 0xFFu)) * 16777619u;
            hash = (hash ^ (uint)(c >> 8)) * 16777619u;
        }
        return hash;
    }
}
