namespace FaultLab.Workloads.BuiltIn;

/// <summary>The built-in workloads, by name.</summary>
public static class WorkloadCatalog
{
    /// <summary>Every workload's name, in the order reports list them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["soft-refault", "anon-zfod", "fork-cow", "file-read", "file-seq", "file-cow", "wire", "mixed"];

    /// <summary>A new instance of the named workload (not set up yet), or null.</summary>
    public static Workload? Create(string name) => name switch
    {
        "soft-refault" => new SoftRefault(),
        "anon-zfod" => new AnonZfod(),
        "fork-cow" => new ForkCow(),
        "file-read" => new FileRead(),
        "file-seq" => new FileSeq(),
        "file-cow" => new FileCow(),
        "wire" => new Wire(),
        "mixed" => new Mixed(),
        _ => null,
    };
}
