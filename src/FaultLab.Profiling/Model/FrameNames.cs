using System.Text;

namespace FaultLab.Profiling.Model;

/// <summary>What a frame's name may contain: no <c>;</c> (the folded format's separator) and no line breaks.</summary>
public static class FrameNames
{
    public static string Sanitize(string name)
    {
        if (name.Length == 0)
        {
            return "?";
        }
        if (!name.AsSpan().ContainsAny(";\r\n\t\0"))
        {
            return name;
        }
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(c switch
            {
                ';' => ',',
                '\r' or '\n' or '\t' or '\0' => ' ',
                _ => c,
            });
        }
        return builder.ToString();
    }
}
