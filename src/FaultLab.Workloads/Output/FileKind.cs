using System.Runtime.InteropServices;

namespace FaultLab.Workloads.Output;

/// <summary>What a path names, as <c>lstat</c> (or <c>stat</c>) sees it.</summary>
public enum FileKind
{
    Absent,
    Regular,
    Directory,
    Symlink,
    /// <summary>A character or block device or a FIFO: written to as a stream.</summary>
    Device,
    Socket,
}

/// <summary>
/// The type of a file, which .NET does not tell apart (a FIFO, a device and a regular file all "exist"). On Linux
/// through <c>statx(2)</c>, whose buffer has one layout on every architecture; elsewhere only absent, directory,
/// symlink and regular.
/// </summary>
public static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 0x1c; // struct statx: stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid, stx_mode
    private const int ENOENT = 2, ENOTDIR = 20;

    /// <summary>The kind of <paramref name="path"/> itself (a symlink is <see cref="FileKind.Symlink"/>).</summary>
    public static FileKind Of(string path) => Get(path, follow: false);

    /// <summary>The kind of what <paramref name="path"/> leads to, through any symlinks (a dangling one: absent).</summary>
    public static FileKind Behind(string path) => Get(path, follow: true);

    private static FileKind Get(string path, bool follow)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Portable(path, follow);
        }
        Span<byte> buffer = stackalloc byte[256];
        buffer.Clear();
        if (Statx(AtFdCwd, path, follow ? 0 : AtSymlinkNoFollow, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENOENT or ENOTDIR
                ? FileKind.Absent
                : throw new IOException($"cannot stat '{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        var mode = BitConverter.ToUInt16(buffer[ModeOffset..]) & 0xF000;
        return mode switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Symlink,
            0xC000 => FileKind.Socket,
            _ => FileKind.Device, // 0x2000 character device, 0x6000 block device, 0x1000 FIFO
        };
    }

    private static FileKind Portable(string path, bool follow)
    {
        var info = new FileInfo(path);
        if (!follow && info.LinkTarget is not null)
        {
            return FileKind.Symlink;
        }
        return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Absent;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
