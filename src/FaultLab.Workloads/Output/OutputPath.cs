using System.Globalization;
using System.Text;

namespace FaultLab.Workloads.Output;

/// <summary>An output path refused before any work started, or a write that failed; the message names the path
/// and the reason.</summary>
public sealed class OutputPathException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Where a command writes a file (<c>--json FILE</c>) or a directory of files (<c>--out DIR</c>): every writing
/// command of the lab goes through this one class. The path is checked when the object is made, which is before
/// any measurement or collection starts, so that a run of tens of minutes cannot end in "cannot write". Then:
/// <list type="bullet">
/// <item><c>-</c> and <c>/dev/stdout</c> are the command's standard output (<c>/dev/stderr</c> its standard error);</item>
/// <item>a device or a FIFO is written to as a stream, and an existing symlink is written through (opened and
/// truncated, the link itself kept);</item>
/// <item>a regular file, or an absent one, is written under a temporary name beside it and renamed into place, so
/// that a reader, or an interrupted run, never sees half a file;</item>
/// <item>a directory is written whole into a temporary directory beside it and renamed into place; an existing,
/// non-empty one is replaced only when that was asked for (<c>--force</c>).</item>
/// </list>
/// Refused: a directory where a file goes (and the reverse), a socket, a missing parent directory, a parent where
/// nothing can be created (a read-only file system, <c>/proc</c>; checked by creating and removing a probe file,
/// which holds for root too), a file that cannot be opened for writing, an existing result directory without
/// <c>--force</c>.
/// </summary>
public sealed class OutputPath
{
    private enum Mode
    {
        ReplaceFile,
        WriteThrough,
        StandardOutput,
        StandardError,
        Directory,
    }

    /// <summary>Where the lab's commands put what they write by default: a folder under the current directory,
    /// ignored by git (as BenchmarkDotNet's <c>BenchmarkDotNet.Artifacts</c>), so that no run touches tracked files.</summary>
    public const string ArtifactsDirectory = "FaultLab.Artifacts";

    private readonly Mode mode;
    private readonly TextWriter? standardOutput;
    private readonly TextWriter? standardError;

    private OutputPath(Mode mode, string given, string fullPath, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        this.mode = mode;
        Given = given;
        FullPath = fullPath;
        standardOutput = stdout;
        standardError = stderr;
    }

    /// <summary>The path as the user gave it.</summary>
    public string Given { get; }

    /// <summary>The absolute path written (for a directory behind a symlink: the directory the link leads to);
    /// <c>-</c> for standard output.</summary>
    public string FullPath { get; }

    /// <summary>Whether the output is the command's standard output (<c>-</c>, <c>/dev/stdout</c>): the command
    /// then prints what it would have printed there on standard error instead.</summary>
    public bool IsStandardOutput => mode == Mode.StandardOutput;

    /// <summary>How messages name the output: the path written, or "standard output".</summary>
    public string Display => mode switch
    {
        Mode.StandardOutput => "standard output",
        Mode.StandardError => "standard error",
        _ => FullPath,
    };

    public override string ToString() => Display;

    /// <summary>A file output, checked now. <paramref name="option"/> names it in errors (<c>--json</c>).</summary>
    /// <param name="stdout">What <c>-</c> and <c>/dev/stdout</c> write to (the command's standard output).</param>
    /// <exception cref="OutputPathException">The path cannot take the file.</exception>
    public static OutputPath ForFile(string path, string option, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        switch (path)
        {
            case "-" or "/dev/stdout":
                return new OutputPath(Mode.StandardOutput, path, "-", stdout ?? Console.Out);
            case "/dev/stderr":
                return new OutputPath(Mode.StandardError, path, "/dev/stderr", stderr: stderr ?? Console.Error);
            case "":
                throw new OutputPathException($"{option}: an empty path");
        }
        var full = FullPathOf(path, option);
        switch (Kind(full, follow: false, option, path))
        {
            case var kind and (FileKind.Directory or FileKind.Socket):
                throw Refused(option, path, $"is {NoFile(kind)}");
            case FileKind.Regular:
                CheckCanCreateIn(Path.GetDirectoryName(full)!, option, path);
                CheckCanOpen(full, option, path);
                return new OutputPath(Mode.ReplaceFile, path, full);
            case FileKind.Absent:
                CheckParent(Path.GetDirectoryName(full)!, option, path, create: false);
                return new OutputPath(Mode.ReplaceFile, path, full);
            case FileKind.Device:
                return new OutputPath(Mode.WriteThrough, path, full);
        }
        // A symlink: written through, so what it leads to must take a file.
        switch (Kind(full, follow: true, option, path))
        {
            case var kind and (FileKind.Directory or FileKind.Socket):
                throw Refused(option, path, $"is a symlink to {NoFile(kind)}");
            case FileKind.Regular:
                CheckCanOpen(full, option, path);
                break;
            case FileKind.Absent:
                CheckParent(Path.GetDirectoryName(LinkTarget(full, option, path))!, option, path, create: false);
                break;
        }
        return new OutputPath(Mode.WriteThrough, path, full);
    }

    /// <summary>What a file output cannot be written to, named.</summary>
    private static string NoFile(FileKind kind) => kind == FileKind.Directory ? "a directory" : "a socket";

    /// <summary>A directory output, checked now: absent, empty, or (with <paramref name="force"/>) replaced whole.</summary>
    /// <param name="createParents">Missing parent directories are created when the directory is written (for a
    /// default location the command chose); a path the user gave needs its parent to exist.</param>
    /// <exception cref="OutputPathException">The path cannot take the directory.</exception>
    public static OutputPath ForDirectory(string path, string option, bool force, bool createParents = false)
    {
        if (path is "-" or "/dev/stdout" or "/dev/stderr" or "")
        {
            throw Refused(option, path, "a directory is needed here");
        }
        var full = Path.TrimEndingDirectorySeparator(FullPathOf(path, option));
        var kind = Kind(full, follow: false, option, path);
        if (kind == FileKind.Symlink)
        {
            full = LinkTarget(full, option, path);
            kind = Kind(full, follow: true, option, path);
        }
        switch (kind)
        {
            case FileKind.Directory:
                if (!force && Directory.EnumerateFileSystemEntries(full).Any())
                {
                    throw Refused(option, path, "already exists and is not empty (give --force to replace it)");
                }
                CheckCanCreateIn(ParentOf(full, option, path), option, path);
                break;
            case FileKind.Absent:
                CheckParent(ParentOf(full, option, path), option, path, createParents);
                break;
            default:
                throw Refused(option, path, "exists and is not a directory");
        }
        return new OutputPath(Mode.Directory, path, full);
    }

    /// <summary>A new directory <c>PARENT/NAME</c>, or <c>NAME-2</c>, <c>NAME-3</c>, … if that exists: a default
    /// location never replaces an earlier run's output. Missing parents are created when it is written.</summary>
    public static OutputPath NewDirectory(string parent, string name, string option)
    {
        for (var n = 1; ; n++)
        {
            var candidate = Path.Combine(parent, n == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}-{n}"));
            if (FileKinds.Of(Path.GetFullPath(candidate)) == FileKind.Absent)
            {
                return ForDirectory(candidate, option, force: false, createParents: true);
            }
        }
    }

    /// <summary>Writes the file: <paramref name="write"/> gets the stream (for a replaced file, the temporary one).</summary>
    public void Write(Action<Stream> write)
    {
        switch (mode)
        {
            case Mode.StandardOutput or Mode.StandardError:
                var buffer = new MemoryStream();
                write(buffer);
                var writer = mode == Mode.StandardOutput ? standardOutput! : standardError!;
                writer.Write(Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
                writer.Flush();
                return;
            case Mode.WriteThrough:
                Guard(FullPath, () =>
                {
                    using var stream = new FileStream(FullPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
                    write(stream);
                });
                return;
            case Mode.ReplaceFile:
                Replace(FullPath, write);
                return;
            default:
                throw new InvalidOperationException($"{Given} is a directory output");
        }
    }

    public void WriteText(string text) => Write(stream => stream.Write(Utf8.GetBytes(text)));

    /// <summary>Writes the directory: <paramref name="fill"/> gets a fresh temporary directory beside the target
    /// and puts the files in it; then it is renamed into place (replacing what was there). Returns the path.</summary>
    public string WriteDirectory(Action<string> fill)
    {
        if (mode != Mode.Directory)
        {
            throw new InvalidOperationException($"{Given} is a file output");
        }
        var parent = Path.GetDirectoryName(FullPath)!;
        var name = Path.GetFileName(FullPath);
        var temp = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            Guard(FullPath, () => Directory.CreateDirectory(parent));
            Guard(FullPath, () => Directory.CreateDirectory(temp));
            Guard(FullPath, () => fill(temp));
            Guard(FullPath, () =>
            {
                if (Directory.Exists(FullPath))
                {
                    var old = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
                    Directory.Move(FullPath, old);
                    Directory.Move(temp, FullPath);
                    Directory.Delete(old, recursive: true);
                }
                else
                {
                    Directory.Move(temp, FullPath);
                }
            });
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
        return FullPath;
    }

    /// <summary>Replaces <paramref name="path"/> (a regular file or none) with what <paramref name="write"/> writes,
    /// through a temporary file in the same directory and a rename; a failed write leaves the old file and no
    /// temporary one.</summary>
    public static void Replace(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Guard(path, () =>
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temporary, path, overwrite: true);
            });
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void ReplaceText(string path, string text) => Replace(path, stream => stream.Write(Utf8.GetBytes(text)));

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Turns the I/O errors of a write into one message naming the path.</summary>
    private static void Guard(string path, Action action)
    {
        try
        {
            action();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OutputPathException($"cannot write {Excerpt.QuotePath(path)}: {Reason(e)}", e);
        }
        catch (IOException e)
        {
            throw new OutputPathException($"cannot write {Excerpt.QuotePath(path)}: {Reason(e)}", e);
        }
    }

    private static string FullPathOf(string path, string option)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Refused(option, path, "is not a valid path");
        }
    }

    private static FileKind Kind(string full, bool follow, string option, string given)
    {
        try
        {
            return follow ? FileKinds.Behind(full) : FileKinds.Of(full);
        }
        catch (IOException e)
        {
            throw Refused(option, given, Excerpt.Of(e.Message, Excerpt.MaxPathLength));
        }
    }

    private static string LinkTarget(string link, string option, string given)
    {
        try
        {
            return File.ResolveLinkTarget(link, returnFinalTarget: true)?.FullName ?? link;
        }
        catch (IOException e)
        {
            throw Refused(option, given, $"is a symlink that cannot be followed ({Reason(e)})");
        }
    }

    private static string ParentOf(string full, string option, string given) =>
        Path.GetDirectoryName(full) ?? throw Refused(option, given, "has no parent directory");

    /// <summary>The directory a new file or directory goes into: it must exist (or be created, for a default) and
    /// take new files.</summary>
    private static void CheckParent(string parent, string option, string given, bool create)
    {
        switch (Kind(parent, follow: true, option, given))
        {
            case FileKind.Directory:
                break;
            case FileKind.Absent when create:
                // Created when the output is written, not now: a run that stops early leaves no empty folders.
                // Until then, the nearest existing ancestor must take them.
                var ancestor = Path.GetDirectoryName(parent);
                while (ancestor is not null && Kind(ancestor, follow: true, option, given) == FileKind.Absent)
                {
                    ancestor = Path.GetDirectoryName(ancestor);
                }
                if (ancestor is null || Kind(ancestor, follow: true, option, given) != FileKind.Directory)
                {
                    throw Refused(option, given, $"its directory {Excerpt.QuotePath(parent)} cannot be created");
                }
                CheckCanCreateIn(ancestor, option, given);
                return;
            case FileKind.Absent:
                throw Refused(option, given, $"its directory {Excerpt.QuotePath(parent)} does not exist");
            default:
                throw Refused(option, given, $"{Excerpt.QuotePath(parent)} is not a directory");
        }
        CheckCanCreateIn(parent, option, given);
    }

    /// <summary>Creates and removes a probe file: the only check that also holds for root (who passes every
    /// permission test) on a read-only file system or in <c>/proc</c> and <c>/sys</c>.</summary>
    private static void CheckCanCreateIn(string directory, string option, string given)
    {
        var probe = Path.Combine(directory, $".faultlab-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused(option, given, $"nothing can be created in {Excerpt.QuotePath(directory)} ({Reason(e)})");
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Opens an existing file for writing without changing it.</summary>
    private static void CheckCanOpen(string path, string option, string given)
    {
        try
        {
            using (File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused(option, given, $"cannot be opened for writing ({Reason(e)})");
        }
    }

    /// <summary>The reason of an I/O error, without the path (the message names it already).</summary>
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        _ when e.Message.IndexOf(" : '", StringComparison.Ordinal) is var at and > 0 => Excerpt.Of(e.Message[..at], Excerpt.MaxPathLength),
        _ => Excerpt.Of(e.Message, Excerpt.MaxPathLength),
    };

    private static OutputPathException Refused(string option, string given, string reason) =>
        new($"{option} {Excerpt.QuotePath(given)}: {reason}");
}
