using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>SEMANTICS-FREEBSD.md, "Operations".</summary>
public sealed class OperationRules
{
    [Fact]
    public void Madvise_is_a_stub_and_loans_are_not_supported()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Errno.EOPNOTSUPP, m.Madvise(p, 0x10000, 2, Advice.Sequential));
        Assert.Equal(Errno.EOPNOTSUPP, m.Loan(p, 0x10000, 1));
        Assert.Equal(Errno.EOPNOTSUPP, m.Unloan(p, 0x10000, 1));
        Assert.False(MachineFamily.FreeBsd.Has(FamilyFeatures.Loans));
        Assert.Equal(0, m.Counter(CommonCounter.Faults));
    }

    [Fact]
    public void Mmap_of_a_file_premaps_its_resident_valid_pages_read_only()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(8, resident: true);
        var g = m.CreateFile(8, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x40000, 8, Prot.ReadWrite, MapKind.FilePrivate, f));
        FB.Ok(m.Mmap(p, 0x50000, 4, Prot.ReadWrite, MapKind.FileShared, f, 4));
        FB.Ok(m.Mmap(p, 0x60000, 8, Prot.ReadWrite, MapKind.FileShared, g));
        Assert.Equal(8, m.CountMapped(p, 0x40000, 8));
        Assert.Equal(4, m.CountMapped(p, 0x50000, 4));
        Assert.Equal(0, m.CountMapped(p, 0x60000, 8)); // nothing resident
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x40000));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x50000));
        var r = m.Read(p, 0x45001);
        Assert.True(r.Outcome.IsHit);
        Assert.Equal(6, r.Value);
        Assert.Equal(0, m.Counter("v_vm_faults"));
        m.NoViolations();
    }

    [Fact]
    public void Fork_copy_collapses_first_then_both_entries_reference_the_object_needing_a_copy_and_the_parent_loses_write()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 0x41);
        FB.Ok(m.Fork(p, out _));
        m.Access(p, 0x10000, FbsdCase.Cow, write: 0x42);  // S1 over the mmap object
        FB.Ok(m.Fork(p, out _));
        m.Access(p, 0x10000, FbsdCase.Cow, write: 0x43);  // S3 over S1, which holds only page 0
        m.Access(p, 0x11000, FbsdCase.Zfod, write: 0x44);
        var obj = m.ObjectAt(p, 0x10000);
        Assert.Equal(2, m.ChainLength(p, 0x10000));
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x11000));
        Assert.Equal(0, m.Counter("object_bypasses"));
        FB.Ok(m.Fork(p, out var c));
        Assert.Equal(1, m.Counter("object_bypasses"));     // vm_map_copy_entry collapsed S3 first: S1 bypassed
        Assert.Equal(1, m.ChainLength(p, 0x10000));
        ref var pe = ref m.EntryAt(p, 0x10000);
        ref var ce = ref m.EntryAt(c, 0x10000);
        Assert.Equal(obj, pe.Object);
        Assert.Equal(obj, ce.Object);
        Assert.True(pe.NeedsCopy && pe.CopyOnWrite && ce.NeedsCopy && ce.CopyOnWrite);
        Assert.Equal(2, m.Obj(obj).RefCount);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x11000));
        Assert.Equal(0, m.CountMapped(c, 0x10000, 2));      // the child starts with an empty pmap
        Assert.Equal(0x43, m.Peek(c, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Fork_share_shares_the_object()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(2, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonShared));
        FB.Ok(m.Mmap(p, 0x20000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 0x41);
        FB.Ok(m.Fork(p, out var c));
        Assert.Equal(m.ObjectAt(p, 0x10000), m.ObjectAt(c, 0x10000));
        Assert.Equal(m.ObjectAt(p, 0x20000), m.ObjectAt(c, 0x20000));
        Assert.False(m.EntryAt(c, 0x10000).NeedsCopy);
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x10000)); // a shared entry is not write-protected
        m.Access(c, 0x10000, FbsdCase.Soft, depth: 0, prot: Prot.ReadWrite, value: 0x41);
        m.Access(c, 0x10000, FbsdCase.Hit, write: 0x42);
        Assert.Equal(0x42, m.Read(p, 0x10000).Value);
        m.NoViolations();
    }

    [Fact]
    public void Fork_copies_a_wired_entry_at_once_into_a_new_object_entered_with_max_protection_and_not_wired()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        m.Access(p, 0x10000, FbsdCase.Hit, write: 0x41);
        FB.Ok(m.Mprotect(p, 0x10000, 2, Prot.Read));
        FB.Ok(m.Fork(p, out var c));
        var po = m.ObjectAt(p, 0x10000);
        var co = m.ObjectAt(c, 0x10000);
        Assert.NotEqual(po, co);
        Assert.True(m.Obj(co).BackingObject.IsNull);
        Assert.Equal(2, m.Obj(co).ResidentPageCount);
        Assert.Equal(2, m.CountMapped(c, 0x10000, 2));
        Assert.Equal(0, m.CountWired(c, 0x10000, 2));
        Assert.Equal(Prot.ReadWrite, m.MappedProt(c, 0x10000)); // max_protection, though the entry is read-only
        Assert.False(m.EntryAt(p, 0x10000).NeedsCopy);          // the parent is not made copy-on-write
        Assert.Equal(2, m.CountWired(p, 0x10000, 2));
        Assert.Equal(0x41, m.Read(c, 0x10000).Value);
        m.NoViolations();
    }

    [Fact]
    public void Mlock_faults_each_page_read_write_with_change_wiring_copying_writable_private_pages_and_munlock_does_not_fault()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x40000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        FB.Ok(m.Mlock(p, 0x40000, 4));
        Assert.Equal(4, m.Counter("v_vm_faults"));
        Assert.Equal(4, m.Counter("v_cow_faults"));             // copied at wiring time
        Assert.Equal(4, m.Obj(m.ObjectAt(p, 0x40000)).ResidentPageCount);
        Assert.Equal(4, m.CountWired(p, 0x40000, 4));
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x40000));
        FB.Ok(m.Munlock(p, 0x40000, 4));
        Assert.Equal(4, m.Counter("v_vm_faults"));
        Assert.Equal(0, m.CountWired(p, 0x40000, 4));
        Assert.Equal(4, m.CountMapped(p, 0x40000, 4));
        m.NoViolations();
    }

    [Fact]
    public void Mlock_of_a_range_without_write_fails_in_vm_map_lookup()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.Read, MapKind.AnonPrivate));
        Assert.Equal(Errno.ENOMEM, m.Mlock(p, 0x10000, 2)); // KERN_PROTECTION_FAILURE from vm_fault(READ|WRITE)
        Assert.Equal(0, m.EntryAt(p, 0x10000).WiredCount);
        Assert.Equal(1, m.Counter("v_vm_faults"));
        m.NoViolations();
    }

    [Fact]
    public void Mlock_and_munlock_errors_are_the_netbsd_familys()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        Assert.Equal(Errno.ENOMEM, m.Mlock(p, 0x10000, 1));
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        FB.Ok(m.Mmap(p, 0x12000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        FB.Ok(m.Mmap(p, 0x20000, 1, Prot.None, MapKind.AnonPrivate));
        Assert.Equal(Errno.EINVAL, m.Mlock(p, 0x10000, 3));
        Assert.Equal(Errno.EINVAL, m.Mlock(p, 0x20000, 1));
        Assert.Equal(Errno.EINVAL, m.Munlock(p, 0x10000, 1));
        Assert.Equal(0, m.CountWired(p, 0x10000, 3));
        m.NoViolations();
    }

    [Fact]
    public void Mmap_munmap_and_mprotect_are_as_in_the_netbsd_family()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Errno.EINVAL, m.Mmap(p, 0x12000, 4, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        m.Access(p, 0x11000, FbsdCase.Zfod, write: 2);
        FB.Ok(m.Mprotect(p, 0x10000, 1, Prot.Read));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x11000));
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x10000, 3).Error);
        FB.Ok(m.Munmap(p, 0x11000, 8)); // over the end of the mapping: fine
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x11000).Error);
        Assert.Equal(1, m.Read(p, 0x10000).Value);
        FB.Ok(m.Munmap(p, 0x80000, 2)); // nothing mapped
        int free = m.FreePages;
        FB.Ok(m.Munmap(p, 0x10000, 1));
        Assert.Equal(free + 2, m.FreePages); // the object went with its last reference, and its pages
        m.NoViolations();
    }

    [Fact]
    public void Pageout_writes_anonymous_pages_to_swap_and_dirty_file_pages_back()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(2, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        FB.Ok(m.Mmap(p, 0x20000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 0x41);
        m.Access(p, 0x20000, FbsdCase.Soft, io: 2, write: 0x61);
        FB.Ok(m.Pageout(p, 0x10000, 1));
        FB.Ok(m.Pageout(p, 0x20000, 2));
        Assert.Equal(0, m.CountResident(p, 0x10000, 1));
        Assert.Equal(0, m.CountResident(p, 0x20000, 2));
        Assert.Equal(0x41, m.Peek(p, 0x10000)); // the swapped byte
        Assert.Equal(0x61, m.Vnodes[f.Value]!.File.Page(0)[0]);
        Assert.Equal(1, m.Obj(m.ObjectAt(p, 0x10000)).SwapBlocks);
        m.Access(p, 0x10000, FbsdCase.Soft, io: 1, value: 0x41);
        Assert.Equal(Errno.EINVAL, m.Pageout(p, 0x90000, 1));
        m.NoViolations();
    }

    [Fact]
    public void The_page_daemon_never_frees_a_wired_page_nor_loses_data()
    {
        var m = FB.NewMachine(pages: 32, swap: 64);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        FB.Ok(m.Mmap(p, 0x20000, 16, Prot.ReadWrite, MapKind.AnonPrivate));
        for (int i = 0; i < 16; i++)
            m.Access(p, 0x20000 + (ulong)i * 0x1000, FbsdCase.Zfod, write: (byte)(i + 1));
        Assert.True(m.PageDaemon(64) > 0);
        Assert.Equal(4, m.CountWired(p, 0x10000, 4));
        Assert.Equal(4, m.CountResident(p, 0x10000, 4));
        for (int i = 0; i < 16; i++)
            Assert.Equal(i + 1, m.Read(p, 0x20000 + (ulong)i * 0x1000).Value);
        m.NoViolations();
    }
}
