namespace FaultLab.Core;

/// <summary>How a family frees one page the clock picked: write its data out first, then free it.</summary>
internal interface IPageReclaimer
{
    /// <summary>Frees <paramref name="pg"/> (paging its data out first); false if it cannot be freed now.</summary>
    bool TryReclaim(PageId pg);
}

/// <summary>
/// The page daemon's two-handed clock over physical memory's active and inactive queues (uvm_pdaemon.c in
/// spirit), shared by every family: a referenced inactive page gets another round on the active queue, an
/// unreferenced one is offered to the family's <see cref="IPageReclaimer"/>, and when that did not free enough the
/// active queue ages into the inactive one. The caller holds the page queues' lock.
/// </summary>
internal static class PageDaemonClock
{
    /// <summary>Up to three rounds, until <paramref name="npages"/> pages are freed; how many were.</summary>
    public static int Scan<TReclaimer>(PhysMem mem, int npages, TReclaimer family) where TReclaimer : IPageReclaimer
    {
        int freed = 0;
        for (int pass = 0; pass < 3 && freed < npages; pass++)
        {
            // Scan the inactive queue once: referenced pages get another round on the active queue.
            int scan = mem.InactiveCount;
            for (int i = 0; i < scan && freed < npages; i++)
            {
                var pg = new PageId(mem.InactiveHead);
                ref var p = ref mem[pg];
                if (p.Referenced)
                {
                    p.Referenced = false;
                    mem.Activate(pg);
                }
                else if (family.TryReclaim(pg))
                {
                    freed++;
                }
                else
                {
                    mem.Deactivate(pg); // to the tail: cannot be freed now
                    mem.Activate(pg);
                }
            }
            if (freed >= npages)
                break;
            // Age the active queue: everything moves to inactive with its reference bit cleared.
            int active = mem.ActiveCount;
            for (int i = 0; i < active; i++)
                mem.Deactivate(new PageId(mem.ActiveHead));
        }
        return freed;
    }
}
