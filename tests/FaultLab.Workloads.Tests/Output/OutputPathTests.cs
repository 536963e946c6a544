using System.Diagnostics;
using FaultLab.Workloads.Output;

namespace FaultLab.Workloads.Tests.Output;

/// <summary>
/// The one output-path mechanism of every writing command: what each kind of path is refused for (checked when the
/// object is made, before any work) and how each kind that is accepted is written. The tests run as root in CI, so a
/// "read-only place" is one where even root cannot create a file: /proc, /sys, or below a regular file.
/// </summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("faultlab-out-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string In(string name) => Path.Combine(directory, name);

    private static string Refusal(Func<OutputPath> make) => Assert.Throws<OutputPathException>(make).Message;

    private string[] Entries(string? dir = null) =>
        [.. Directory.GetFileSystemEntries(dir ?? directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    // ---- file outputs: what is refused ----

    [Fact]
    public void A_directory_is_no_file()
    {
        var message = Refusal(() => OutputPath.ForFile(directory, "--json"));

        Assert.Equal($"--json '{directory}': is a directory", message);
    }

    [Fact]
    public void A_missing_parent_is_refused_and_not_created()
    {
        var path = Path.Combine(directory, "missing", "out.json");

        var message = Refusal(() => OutputPath.ForFile(path, "--json"));

        Assert.Equal($"--json '{path}': its directory '{Path.Combine(directory, "missing")}' does not exist", message);
        Assert.Empty(Entries());
    }

    [Fact]
    public void A_parent_that_is_a_regular_file_is_refused()
    {
        var file = In("plain");
        File.WriteAllText(file, "x");

        var message = Refusal(() => OutputPath.ForFile(Path.Combine(file, "out.json"), "--json"));

        Assert.EndsWith($": '{file}' is not a directory", message);
    }

    [Theory]
    [InlineData("/proc/faultlab-out.json")] // a virtual file system: not even root creates a file there
    [InlineData("/proc/version")]           // an existing file there cannot be replaced either
    [InlineData("/sys/faultlab-out.json")]
    public void A_place_where_nothing_can_be_created_is_refused_even_for_root(string path)
    {
        var message = Refusal(() => OutputPath.ForFile(path, "--json"));

        Assert.StartsWith($"--json '{path}': nothing can be created in '{Path.GetDirectoryName(path)}' (", message);
    }

    [Fact]
    public void A_socket_is_refused()
    {
        var path = In("s.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix,
            System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));

        Assert.EndsWith(": is a socket", Refusal(() => OutputPath.ForFile(path, "--json")));
    }

    [Fact]
    public void A_symlink_to_a_directory_is_refused()
    {
        var link = In("link");
        File.CreateSymbolicLink(link, directory);

        Assert.EndsWith(": is a symlink to a directory", Refusal(() => OutputPath.ForFile(link, "--json")));
    }

    [Fact]
    public void Input_is_quoted_escaped_in_the_refusal()
    {
        var path = Path.Combine(directory, "missing\u001b[31m", "out.json");

        var message = Refusal(() => OutputPath.ForFile(path, "--json"));

        Assert.DoesNotContain('\u001b', message);
        Assert.Contains(@"missing\x1b[31m", message);
    }

    // ---- file outputs: how each kind is written ----

    [Fact]
    public void An_absent_file_is_written_through_a_temporary_file_that_does_not_stay()
    {
        var path = In("out.json");
        var output = OutputPath.ForFile(path, "--json");
        Assert.Empty(Entries()); // checking creates nothing

        output.WriteText("one");
        OutputPath.ForFile(path, "--json").WriteText("two");

        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal(["out.json"], Entries());
        Assert.Equal(FileKind.Regular, FileKinds.Of(path));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary()
    {
        var path = In("flame.svg");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => OutputPath.ForFile(path, "--out").Write(stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["flame.svg"], Entries());
    }

    [Fact]
    public void A_symlink_is_written_through_and_stays_a_symlink()
    {
        var target = In("target.json");
        File.WriteAllText(target, "old content, longer than the new");
        var link = In("link.json");
        File.CreateSymbolicLink(link, target);

        OutputPath.ForFile(link, "--json").WriteText("new");

        Assert.Equal(FileKind.Symlink, FileKinds.Of(link));
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["link.json", "target.json"], Entries());
    }

    [Fact]
    public void A_dangling_symlink_creates_its_target()
    {
        var link = In("link.json");
        File.CreateSymbolicLink(link, In("later.json"));

        OutputPath.ForFile(link, "--json").WriteText("made");

        Assert.Equal(FileKind.Symlink, FileKinds.Of(link));
        Assert.Equal("made", File.ReadAllText(In("later.json")));
    }

    [Fact]
    public void A_dangling_symlink_into_a_missing_directory_is_refused()
    {
        var link = In("link.json");
        File.CreateSymbolicLink(link, Path.Combine(directory, "nowhere", "x.json"));

        Assert.Contains("does not exist", Refusal(() => OutputPath.ForFile(link, "--json")));
    }

    [Fact]
    public void A_device_is_written_as_a_stream_and_left_alone()
    {
        var output = OutputPath.ForFile("/dev/null", "--json");

        output.WriteText("gone");

        Assert.Equal(FileKind.Device, FileKinds.Of("/dev/null"));
        Assert.Equal(0, new FileInfo("/dev/null").Length);
    }

    [Fact]
    public async Task A_fifo_is_written_as_a_stream()
    {
        var fifo = In("pipe");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }
        Assert.Equal(FileKind.Device, FileKinds.Of(fifo));
        var reader = Task.Run(() => File.ReadAllText(fifo));

        OutputPath.ForFile(fifo, "--json").WriteText("through the pipe");

        Assert.Equal("through the pipe", await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(FileKind.Device, FileKinds.Of(fifo));
    }

    [Theory]
    [InlineData("-")]
    [InlineData("/dev/stdout")]
    public void Dash_and_dev_stdout_are_the_commands_standard_output(string path)
    {
        var stdout = new StringWriter();
        var output = OutputPath.ForFile(path, "--json", stdout);

        output.WriteText("{ }\n");

        Assert.True(output.IsStandardOutput);
        Assert.Equal("standard output", output.Display);
        Assert.Equal("{ }\n", stdout.ToString());
        Assert.Empty(Entries());
        Assert.False(File.Exists("-"));
    }

    // ---- directory outputs ----

    [Fact]
    public void A_directory_output_is_written_whole_and_an_existing_one_needs_force()
    {
        var target = In("set");
        OutputPath.ForDirectory(target, "--out", force: false).WriteDirectory(temp => File.WriteAllText(Path.Combine(temp, "a"), "1"));

        var message = Refusal(() => OutputPath.ForDirectory(target, "--out", force: false));
        OutputPath.ForDirectory(target, "--out", force: true).WriteDirectory(temp => File.WriteAllText(Path.Combine(temp, "b"), "2"));

        Assert.Equal($"--out '{target}': already exists and is not empty (give --force to replace it)", message);
        Assert.Equal(["b"], Entries(target)); // replaced whole, not merged
        Assert.Equal(["set"], Entries());      // nothing temporary left beside it
    }

    [Fact]
    public void An_empty_directory_is_taken_without_force()
    {
        var target = Directory.CreateDirectory(In("empty")).FullName;

        OutputPath.ForDirectory(target, "--out", force: false).WriteDirectory(temp => File.WriteAllText(Path.Combine(temp, "a"), "1"));

        Assert.Equal(["a"], Entries(target));
    }

    [Fact]
    public void A_file_is_no_directory()
    {
        var file = In("file");
        File.WriteAllText(file, "x");

        Assert.Equal($"--out '{file}': exists and is not a directory", Refusal(() => OutputPath.ForDirectory(file, "--out", force: true)));
    }

    [Fact]
    public void A_directory_output_needs_its_parent_unless_it_is_a_default()
    {
        var nested = Path.Combine(directory, "a", "b", "set");

        Assert.Contains("does not exist", Refusal(() => OutputPath.ForDirectory(nested, "--out", force: false)));
        OutputPath.ForDirectory(nested, "--out", force: false, createParents: true).WriteDirectory(_ => { });

        Assert.True(Directory.Exists(nested));
    }

    [Theory]
    [InlineData("/proc/faultlab-set")]
    [InlineData("/sys/faultlab-set")]
    public void A_directory_where_nothing_can_be_created_is_refused(string path)
    {
        Assert.StartsWith($"--out '{path}': nothing can be created in", Refusal(() => OutputPath.ForDirectory(path, "--out", force: false)));
    }

    [Fact]
    public void A_symlinked_directory_is_written_through_and_the_link_kept()
    {
        var real = Directory.CreateDirectory(In("real")).FullName;
        var link = In("link");
        Directory.CreateSymbolicLink(link, real);

        var written = OutputPath.ForDirectory(link, "--out", force: false).WriteDirectory(temp => File.WriteAllText(Path.Combine(temp, "a"), "1"));

        Assert.Equal(real, written);
        Assert.Equal(FileKind.Symlink, FileKinds.Of(link));
        Assert.Equal("1", File.ReadAllText(Path.Combine(link, "a")));
    }

    [Fact]
    public void A_failed_fill_leaves_nothing_behind()
    {
        var target = In("set");

        Assert.Throws<InvalidOperationException>(() => OutputPath.ForDirectory(target, "--out", force: false)
            .WriteDirectory(temp =>
            {
                File.WriteAllText(Path.Combine(temp, "half"), "x");
                throw new InvalidOperationException("interrupted");
            }));

        Assert.Empty(Entries());
    }

    [Fact]
    public void A_new_default_directory_never_replaces_an_earlier_one()
    {
        var first = OutputPath.NewDirectory(directory, "2026-01-01-quick", "--out");
        first.WriteDirectory(_ => { });
        var second = OutputPath.NewDirectory(directory, "2026-01-01-quick", "--out");

        Assert.Equal(In("2026-01-01-quick"), first.FullPath);
        Assert.Equal(In("2026-01-01-quick-2"), second.FullPath);
    }

    [Fact]
    public void Standard_output_cannot_hold_a_directory()
    {
        Assert.Equal("--out '-': a directory is needed here", Refusal(() => OutputPath.ForDirectory("-", "--out", force: false)));
    }
}
