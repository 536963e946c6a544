using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>
/// The pmap's reverse mappings: a page's pv list holds exactly its mappings, doubly linked, each named by its leaf
/// entry, whichever order the mappings come and go in (the leaf entry's pv index removes one without a walk).
/// </summary>
public class PvListRules
{
    [Fact]
    public void A_page_mapped_by_many_processes_keeps_a_well_linked_pv_list_as_they_unmap_in_any_order()
    {
        var m = T.NewMachine(pages: 512);
        var parent = m.CreateProcess();
        T.Ok(m.Mmap(parent, 0x10000, 1, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(parent, 0x10000, 0x5a);
        var procs = new List<ProcId> { parent };
        for (int i = 0; i < 63; i++)
        {
            T.Ok(m.Fork(parent, out var child));
            Assert.Equal(0x5a, m.Read(child, 0x10000).Value); // maps the shared page
            procs.Add(child);
        }
        var pg = m.MappedPage(parent, 0x10000);
        Assert.Null(m.Pmaps.PvProblem(pg));
        Assert.Equal(64, m.Pmaps.Pv.InUse);

        var rng = new Random(1208);
        foreach (var p in procs.OrderBy(_ => rng.Next()).ToList())
        {
            T.Ok(m.Munmap(p, 0x10000, 1));
            Assert.Null(m.Pmaps.PvProblem(pg));
        }
        Assert.Equal(0, m.Pmaps.Pv.InUse);
        Assert.Equal(0, m.Mem[pg].PvHead);
        m.NoViolations();
    }
}
