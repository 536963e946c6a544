using FaultLab.Profiling.Writers;

namespace FaultLab.Profiling.Tests;

public sealed class OutputFilesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("faultlab-out-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Writes_through_a_temporary_file_that_does_not_stay()
    {
        var path = Path.Combine(directory, "sub", "stacks.folded");

        OutputFiles.WriteText(path, "a;b 1\n");
        OutputFiles.WriteText(path, "a;b 2\n");

        Assert.Equal("a;b 2\n", File.ReadAllText(path));
        Assert.Equal(["stacks.folded"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary()
    {
        var path = Path.Combine(directory, "flame.svg");
        OutputFiles.WriteText(path, "old");

        Assert.Throws<InvalidOperationException>(() =>
            OutputFiles.Write(path, stream =>
            {
                stream.WriteByte(1);
                throw new InvalidOperationException("disk full");
            }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(directory));
    }
}
