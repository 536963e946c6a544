namespace FaultLab.Workloads.Checking;

/// <summary>
/// The oracle's picture of one 4 KiB page: a base (all zero, or the initial contents of file page i, whose byte k
/// is (i + k) &amp; 0xff) plus the few bytes written over it. Immutable: a write makes a new image, so sharing an
/// image between processes is a snapshot, which is what copy-on-write promises.
/// </summary>
internal sealed class PageImage
{
    public const int PageSize = 4096;

    public static readonly PageImage Zero = new(-1, [], []);

    readonly int filePage;       // -1: zero base
    readonly int[] offsets;      // written bytes, in the order first written
    readonly byte[] values;

    PageImage(int filePage, int[] offsets, byte[] values)
    {
        this.filePage = filePage;
        this.offsets = offsets;
        this.values = values;
    }

    /// <summary>The initial contents of page <paramref name="page"/> of any file.</summary>
    public static PageImage FileInitial(int page) => new(page, [], []);

    public byte Get(int offset)
    {
        var i = Array.IndexOf(offsets, offset);
        if (i >= 0) return values[i];
        return filePage < 0 ? (byte)0 : (byte)((filePage + offset) & 0xff);
    }

    public PageImage With(int offset, byte value)
    {
        var i = Array.IndexOf(offsets, offset);
        if (i >= 0)
        {
            if (values[i] == value) return this;
            var vs = (byte[])values.Clone();
            vs[i] = value;
            return new PageImage(filePage, offsets, vs);
        }
        return new PageImage(filePage, [.. offsets, offset], [.. values, value]);
    }

    public bool SameContent(PageImage other)
    {
        if (ReferenceEquals(this, other)) return true;
        for (var k = 0; k < PageSize; k++)
            if (Get(k) != other.Get(k)) return false;
        return true;
    }
}
