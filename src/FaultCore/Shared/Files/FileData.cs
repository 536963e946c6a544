namespace FaultLab.Core;

/// <summary>
/// A file's bytes on "disk", shared by every family: <see cref="MachineConfig.PageBytes"/>-byte pages, byte k of
/// page i holding (i + k) &amp; 0xff when made. A family's pager (UVM's vnode object, FreeBSD's vnode pager)
/// reads and writes whole pages of it; which pages are resident is the family's business.
/// </summary>
internal sealed class FileData
{
    public FileData(int npages)
    {
        if (MachineConfig.FileProblem(npages, 0) is { } problem)
            throw new ArgumentOutOfRangeException(nameof(npages), problem);
        NPages = npages;
        bytes = new byte[checked(npages * Param.PAGE_SIZE)];
        for (int i = 0; i < npages; i++)
        {
            var page = Page(i);
            for (int k = 0; k < Param.PAGE_SIZE; k++)
                page[k] = (byte)((i + k) & 0xff);
        }
    }

    private readonly byte[] bytes;

    public int NPages { get; }

    /// <summary>Page <paramref name="pgoff"/> of the file on disk.</summary>
    public Span<byte> Page(int pgoff) => bytes.AsSpan(pgoff * Param.PAGE_SIZE, Param.PAGE_SIZE);

    /// <summary>A page read from disk into a frame.</summary>
    public void Read(int pgoff, Span<byte> frame) => Page(pgoff).CopyTo(frame);

    /// <summary>A frame written back to disk.</summary>
    public void Write(int pgoff, ReadOnlySpan<byte> frame) => frame.CopyTo(Page(pgoff));
}
