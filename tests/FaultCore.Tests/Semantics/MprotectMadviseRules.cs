using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": mprotect, madvise.</summary>
public sealed class MprotectMadviseRules
{
    [Fact]
    public void Mprotect_beyond_max_protection_is_EACCES_and_changes_nothing()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.Read, MapKind.AnonShared));
        T.Ok(m.Mmap(p, 0x14000, 4, Prot.Read, MapKind.AnonPrivate)); // not compatible: not merged
        // every mmap gives max_protection rw; lower it as mmap(PROT_READ) of a read-only file would
        m.Entries[m.EntryIdAt(p, 0x14000).Index].MaxProtection = Prot.Read;
        var fp = m.Fingerprint();
        Assert.Equal(Errno.EACCES, m.Mprotect(p, 0x12000, 4, Prot.ReadWrite));
        Assert.Equal(Prot.Read, m.EntryAt(p, 0x10000).Protection);
        Assert.Equal(2, m.Entries(p)); // not even clipped
        Assert.Equal(fp, m.Fingerprint());
        T.Ok(m.Mprotect(p, 0x12000, 4, Prot.Read));
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.ReadWrite));
        m.NoViolations();
    }

    [Fact]
    public void Mprotect_reduces_existing_mappings_to_the_new_protection()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 4, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x10000, FaultCase.Lower2B, prot: Prot.ReadWrite, write: 1);
        m.Access(p, 0x100000, FaultCase.Lower2A, write: 1);
        m.Access(p, 0x101000, FaultCase.Hit, prot: Prot.ReadWrite, write: 2); // neighbour entered rw: vnode dirty
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.Read));
        T.Ok(m.Mprotect(p, 0x100000, 1, Prot.Read));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x100000));
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x101000)); // outside the range
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x10000, 3).Error);
        T.Ok(m.Mprotect(p, 0x100000, 4, Prot.None));
        Assert.Equal(0, m.CountMapped(p, 0x100000, 4));
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x101000).Error);
        m.NoViolations();
    }

    [Fact]
    public void Mprotect_never_adds_rights_to_existing_mappings()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, prot: Prot.ReadWrite, write: 1);
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.Read));
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.ReadWrite));
        Assert.Equal(Prot.ReadWrite, m.EntryAt(p, 0x10000).Protection);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        m.ResetCounters();
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.ReadWrite, write: 2);
        Assert.Equal(1, m.Counters.faults);
        m.NoViolations();
    }

    [Fact]
    public void Mprotect_succeeds_over_holes_and_unmapped_ranges_acting_on_the_entries_inside()
    {
        // uvm_map_protect loops over the entries inside the range: none at all is not an error.
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mprotect(p, 0x10000, 4, Prot.Read));
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x14000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mprotect(p, 0x12000, 2, Prot.Read)); // the hole between them
        Assert.Equal(2, m.Entries(p));
        T.Ok(m.Mprotect(p, 0x11000, 4, Prot.Read)); // covers a hole
        Assert.Equal(Prot.ReadWrite, m.EntryAt(p, 0x10000).Protection);
        Assert.Equal(Prot.Read, m.EntryAt(p, 0x11000).Protection);
        Assert.Equal(Prot.Read, m.EntryAt(p, 0x14000).Protection);
        Assert.Equal(Prot.ReadWrite, m.EntryAt(p, 0x15000).Protection);
        Assert.Equal(4, m.Entries(p));
        m.NoViolations();
    }

    [Fact]
    public void Madvise_sets_the_advice_of_the_range_clipping_entries_and_succeeds_when_nothing_is_mapped()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Advice.Normal, m.EntryAt(p, 0x10000).Advice);
        T.Ok(m.Madvise(p, 0x12000, 2, Advice.Random));
        T.Ok(m.Madvise(p, 0x16000, 4, Advice.Sequential)); // runs past the end: holes ignored
        Assert.Equal(Advice.Normal, m.EntryAt(p, 0x11000).Advice);
        Assert.Equal(Advice.Random, m.EntryAt(p, 0x12000).Advice);
        Assert.Equal(Advice.Random, m.EntryAt(p, 0x13000).Advice);
        Assert.Equal(Advice.Normal, m.EntryAt(p, 0x14000).Advice);
        Assert.Equal(Advice.Sequential, m.EntryAt(p, 0x17000).Advice);
        Assert.Equal(4, m.Entries(p));
        T.Ok(m.Madvise(p, 0x40000, 2, Advice.Random)); // uvm_map_advice: no entry in the range, nothing to do
        Assert.Equal(4, m.Entries(p));
        m.NoViolations();
    }
}
