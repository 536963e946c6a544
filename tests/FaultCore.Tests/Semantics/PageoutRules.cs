using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": pageout.</summary>
public sealed class PageoutRules
{
    [Fact]
    public void Pageout_leaves_wired_and_loaned_pages_resident_and_mapped()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        T.Ok(m.Mmap(p, 0x12000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x12000, 2);
        m.Write(p, 0x13000, 3);
        T.Ok(m.Loan(p, 0x12000, 1));
        int free = m.FreePages;
        T.Ok(m.Pageout(p, 0x10000, 4));
        Assert.Equal(free + 1, m.FreePages); // only the last page went
        Assert.Equal(2, m.CountWired(p, 0x10000, 2));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x12000));
        Assert.Equal(1, m.CountResident(p, 0x12000, 2));
        Assert.Equal(0, m.CountMapped(p, 0x13000, 1));
        Assert.Equal(3, m.Peek(p, 0x13000));
        m.NoViolations();
    }

    [Fact]
    public void Pageout_of_an_anon_page_writes_it_to_swap_frees_it_and_a_read_swaps_it_back_in()
    {
        var m = T.NewMachine(pages: 32, swap: 8);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000 + 100, 0x5c);
        var anon = m.AnonAt(p, 0x10000);
        int free = m.FreePages;
        T.Ok(m.Pageout(p, 0x10000, 1));
        Assert.Equal(free + 1, m.FreePages);
        Assert.Equal(7, m.Swap.FreeSlots);
        Assert.True(m.Anons[anon.Index].Page.IsNull);
        int slot = m.Anons[anon.Index].SwSlot;
        Assert.Equal(0x5c, m.Swap.Slot(slot)[100]);
        Assert.Equal(0, m.CountMapped(p, 0x10000, 1));
        Assert.Equal(0, m.CountResident(p, 0x10000, 1));
        m.ResetCounters();
        m.Access(p, 0x10000 + 100, FaultCase.Upper1A, restarts: 0, value: 0x5c);
        Assert.Equal(1, m.Counters.pageins);
        Assert.Equal(1, m.Counters.majflt);
        Assert.Equal(0, m.Counters.minflt);
        Assert.Equal(free, m.FreePages);
        Assert.Equal(anon, m.Page(m.MappedPage(p, 0x10000)).Anon);
        m.NoViolations();
    }

    [Fact]
    public void Pageout_of_an_object_page_writes_it_back_if_dirty_then_frees_it()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x100000, FaultCase.Lower2A, write: 0x99);
        Assert.Equal(0, m.Obj(f).File.Page(0)[0]);
        int free = m.FreePages;
        T.Ok(m.Pageout(p, 0x100000, 2)); // the dirty page and the clean one
        Assert.Equal(0x99, m.Obj(f).File.Page(0)[0]);
        Assert.Equal(free + 2, m.FreePages);
        Assert.True(m.Obj(f).Resident.All(x => x.IsNull));
        Assert.Equal(0, m.CountMapped(p, 0x100000, 2));
        m.Access(p, 0x100000, FaultCase.Lower2A, value: 0x99);
        Assert.Equal(1, m.Counters.fltget);
        m.NoViolations();
    }

    [Fact]
    public void Pageout_removes_the_page_from_every_pmap_mapping_it()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(p, 0x10000, 0x31);
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FaultCase.Upper1A);
        T.Ok(m.Pageout(p, 0x10000, 1));
        Assert.Equal(0, m.CountMapped(p, 0x10000, 1));
        Assert.Equal(0, m.CountMapped(c, 0x10000, 1));
        m.Access(c, 0x10000, FaultCase.Upper1A, value: 0x31);
        m.NoViolations();
    }

    [Fact]
    public void Pageout_of_a_range_with_no_mapping_is_EINVAL()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        Assert.Equal(Errno.EINVAL, m.Pageout(p, 0x10000, 4));
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Pageout(p, 0x10000, 1)); // mapped but never touched: nothing to do
        T.Ok(m.Pageout(p, 0xe000, 4)); // partly mapped
        m.NoViolations();
    }
}
