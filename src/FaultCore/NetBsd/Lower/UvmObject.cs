namespace FaultLab.Core;

/// <summary>
/// A vnode as a uvm_object: the resident pages (one slot per page of the file), the file's bytes on "disk"
/// (<see cref="FileData"/>, shared with the other families), and the vnode's dirty state. A clean vnode needs
/// write faults (UVM_OBJ_NEEDS_WRITEFAULT), so that its first write is seen by the pager.
/// </summary>
internal sealed class UvmObject
{
    public UvmObject(ObjId id, int npages)
    {
        Id = id;
        File = new FileData(npages);
        Resident = new PageId[npages];
    }

    public ObjId Id { get; }
    public FileData File { get; }
    public int NPages => File.NPages;
    public PageId[] Resident { get; }

    /// <summary>The vnode is on the syncer's work list: some write reached its pager since it was last clean.</summary>
    public bool Dirty;

    /// <summary>References from map entries (uo_refs less the file's own).</summary>
    public int Refs;

    /// <summary>UVM_OBJ_NEEDS_WRITEFAULT (uvn_needs_writefault_p): true while the vnode is clean.</summary>
    public bool NeedsWriteFault => !Dirty;
}

public sealed partial class Machine
{
    /// <summary>
    /// pgo_get with PGO_LOCKED (genfs_getpages, locked case): fills the NULL slots of <paramref name="pages"/>
    /// with resident, non-busy pages of the range (slots already PGO_DONTCARE are skipped) and makes them busy.
    /// A write access that gets the center page marks the vnode dirty.
    /// </summary>
    /// <returns>How many pages were found.</returns>
    internal int PagerGetLocked(UvmObject uobj, ulong offset, Span<PageId> pages, int npages, int centeridx, Prot access)
    {
        int found = 0;
        int first = (int)(offset >> Param.PAGE_SHIFT);
        for (int i = 0; i < npages; i++)
        {
            if (pages[i] == PageId.DontCare)
                continue;
            int pgoff = first + i;
            var pg = pgoff >= 0 && pgoff < uobj.NPages ? uobj.Resident[pgoff] : PageId.Null;
            if (pg.IsPage && (Mem[pg].Flags & PageFlags.Busy) == 0)
            {
                Mem[pg].Flags |= PageFlags.Busy;
                pages[i] = pg;
                found++;
            }
            else
            {
                pages[i] = PageId.Null;
            }
        }
        if ((access & Prot.Write) != 0 && pages[centeridx].IsPage)
            uobj.Dirty = true;
        return found;
    }

    /// <summary>
    /// pgo_get with PGO_SYNCIO for one page (genfs_getpages): the resident page, or a fresh page read from the
    /// file. Returns the page busy. Reading past the end of the file fails with EIO. Out of free pages, the
    /// pager waits for the page daemon (ENOMEM when nothing is reclaimable). A write access marks the vnode dirty.
    /// </summary>
    internal Errno PagerGetSync(UvmObject uobj, ulong offset, Prot access, ref int waits, out PageId pg)
    {
        pg = PageId.Null;
        int pgoff = (int)(offset >> Param.PAGE_SHIFT);
        if (pgoff < 0 || pgoff >= uobj.NPages)
            return Errno.EIO;
        for (;;)
        {
            pg = uobj.Resident[pgoff];
            if (pg.IsPage)
            {
                Mem[pg].Flags |= PageFlags.Busy;
                break;
            }
            pg = Mem.Alloc(AnonId.Null, uobj.Id, pgoff, zero: false);
            if (pg.IsPage)
            {
                uobj.Resident[pgoff] = pg;
                uobj.File.Read(pgoff, Mem.Frame(pg));
                Mem[pg].Flags &= ~PageFlags.Fake; // PG_BUSY|PG_CLEAN: read from the file
                break;
            }
            if (!Reclaimable() || ++waits > MaxWaitsPerFault)
                return Errno.ENOMEM;
            UvmWait();
        }
        if ((access & Prot.Write) != 0)
            uobj.Dirty = true;
        return Errno.OK;
    }

    /// <summary>Writes an object page back to the file (the page becomes clean).</summary>
    internal void PagerPut(UvmObject uobj, PageId pg)
    {
        uobj.File.Write(Mem[pg].Offset, Mem.Frame(pg));
        Mem[pg].Flags |= PageFlags.Clean;
    }
}
