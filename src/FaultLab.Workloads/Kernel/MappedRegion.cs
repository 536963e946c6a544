using System.Runtime.InteropServices;

namespace FaultLab.Workloads.Kernel;

/// <summary>An mmap'd region, munmap'd when disposed (or finalized).</summary>
internal sealed unsafe class MappedRegion : SafeHandle
{
    private MappedRegion(nint address, nuint length) : base(-1, ownsHandle: true)
    {
        Length = length;
        SetHandle(address);
    }

    public nuint Length { get; }

    public byte* Pointer => (byte*)handle;

    public override bool IsInvalid => handle == -1 || handle == 0;

    /// <summary>Private anonymous read/write memory, with transparent huge pages refused so faults are per base page.</summary>
    public static MappedRegion Anonymous(nuint length) =>
        Map(length, Libc.ProtRead | Libc.ProtWrite, Libc.MapPrivate | Libc.MapAnonymous, -1);

    /// <summary>A mapping of the first <paramref name="length"/> bytes of the file open as <paramref name="fd"/>.</summary>
    public static MappedRegion File(int fd, nuint length, int prot, int flags) => Map(length, prot, flags, fd);

    private static MappedRegion Map(nuint length, int prot, int flags, int fd)
    {
        nint address = Libc.Mmap(0, length, prot, flags, fd, 0);
        if (address == -1)
            throw Libc.Error("mmap");
        var region = new MappedRegion(address, length);
        try
        {
            region.NoHugePages();
        }
        catch
        {
            region.Dispose();
            throw;
        }
        return region;
    }

    /// <summary>madvise(MADV_NOHUGEPAGE); EINVAL (a kernel without THP) is not an error: nothing to refuse then.</summary>
    private void NoHugePages()
    {
        if (Libc.Madvise(handle, Length, Libc.MadvNoHugePage) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.Einval)
                throw Libc.Error("madvise(MADV_NOHUGEPAGE)", errno);
        }
    }

    protected override bool ReleaseHandle() => Libc.Munmap(handle, Length) == 0;
}
