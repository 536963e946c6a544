using System.Runtime.InteropServices;

namespace FaultLab.Profiling.Collection;

/// <summary>Finds the <c>dotnet</c> host that runs a framework-dependent app: <c>dotnet app.dll</c>.</summary>
public static class DotnetHost
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        // Set by the SDK for the processes it starts (dotnet run, dotnet test).
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }
        // This process runs under the host already (dotnet faultlab.dll, a test host).
        if (Environment.ProcessPath is { } self && System.IO.Path.GetFileName(self) == exe)
        {
            return self;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(System.IO.Path.Combine(root, exe)))
        {
            return System.IO.Path.Combine(root, exe);
        }
        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/; the host in <root>.
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(runtime, "..", "..", "..", exe));
        return File.Exists(candidate) ? candidate : exe;
    }
}
