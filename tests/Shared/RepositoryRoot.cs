namespace FaultLab.Testing;

/// <summary>The clone the tests were built from: the nearest directory above the test binaries holding FaultLab.slnx.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "FaultLab.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no FaultLab.slnx above {AppContext.BaseDirectory}");
    }
}
