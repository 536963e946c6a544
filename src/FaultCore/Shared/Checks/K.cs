using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FaultLab.Core;

/// <summary>
/// KASSERT: a broken one is a bug of the model, reported as an exception. The checks run in the checked
/// configuration (<see cref="ModelChecks"/>) and cost nothing otherwise: <see cref="Checked"/> is a static
/// readonly field, so once the class is initialized the JIT folds every assertion away.
/// </summary>
internal static class K
{
    public static readonly bool Checked = ModelChecks.Requested();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Assert([DoesNotReturnIf(false)] bool condition,
        [CallerArgumentExpression(nameof(condition))] string? expr = null)
    {
        if (Checked && !condition)
            Fail(expr);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail(string? what) => throw new InvalidOperationException($"KASSERT failed: {what}");
}

/// <summary>
/// The checked configuration of the model: whether its KASSERTs run in this process. It is chosen once per
/// process, before the first machine is made, by the AppContext switch <see cref="Switch"/> (the test projects
/// set it in their runtimeconfig; the CLI sets it for the verbs that check the model) or the environment
/// variable <see cref="EnvironmentVariable"/> (<c>1</c> or <c>0</c>), which wins over the switch.
/// Benchmarks run without it.
/// </summary>
public static class ModelChecks
{
    public const string Switch = "FaultLab.Checked";
    public const string EnvironmentVariable = "FAULTLAB_CHECKED";

    /// <summary>Whether the model's KASSERTs run in this process (fixed once read).</summary>
    public static bool Enabled => K.Checked;

    internal static bool Requested()
    {
        switch (Environment.GetEnvironmentVariable(EnvironmentVariable))
        {
            case "1": return true;
            case "0": return false;
        }
        return AppContext.TryGetSwitch(Switch, out bool on) && on;
    }
}
