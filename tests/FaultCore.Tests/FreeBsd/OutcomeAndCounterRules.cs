using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>SEMANTICS-FREEBSD.md, "Outcomes and counters".</summary>
public sealed class OutcomeAndCounterRules
{
    [Fact]
    public void The_family_declares_soft_zfod_cow_shadow_and_the_keys_depth_io_restarts()
    {
        var f = MachineFamily.FreeBsd;
        Assert.Equal("freebsd", f.Name);
        Assert.Equal(["soft", "zfod", "cow", "shadow"], f.Outcomes);
        Assert.Equal(AccessKeySource.Detail0, f.Key("depth")!.Source);
        Assert.Equal(AccessKeySource.Detail1, f.Key("io")!.Source);
        Assert.Equal(AccessKeySource.Restarts, f.Key("restarts")!.Source);
        Assert.Equal(FamilyFeatures.Files | FamilyFeatures.Wiring | FamilyFeatures.Pageout, f.Features);
        Assert.Equal(MachineFamily.NetBsd, MachineCatalog.BuiltIn.Default);
        Assert.Same(f, MachineCatalog.BuiltIn.Find("freebsd"));
        foreach (var name in new[] { "v_vm_faults", "v_cow_faults", "v_zfod", "v_intrans", "v_vnodein", "v_vnodepgsin",
                     "v_swapin", "v_swappgsin", "object_collapses", "object_bypasses", "minflt", "majflt" })
            Assert.True(f.CounterIndex(name) >= 0, name);
        Assert.IsType<FreeBsdMachine>(f.Create(new MachineConfig { Pages = 16 }));
    }

    [Fact]
    public void Soft_is_data_in_the_first_object_resident_or_read_by_its_pager()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(1, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.FileShared, f));
        FB.Ok(m.Mmap(p, 0x20000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Soft, depth: 0, io: 1);
        m.Access(p, 0x20000, FbsdCase.Zfod, write: 4);
        FB.Ok(m.Pageout(p, 0x20000, 1));
        m.Access(p, 0x20000, FbsdCase.Soft, depth: 0, io: 1, value: 4);
    }

    [Fact]
    public void Depth_is_the_level_the_data_was_found_at_before_the_collapse_the_fault_triggers()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, depth: 0, write: 1);
        FB.Ok(m.Fork(p, out var c));
        FB.Ok(m.Exit(c));
        m.Access(p, 0x10000, FbsdCase.Cow, depth: 1, write: 2); // found at level 1, then collapsed into level 0
        Assert.Equal(0, m.ChainLength(p, 0x10000));
    }

    [Fact]
    public void The_child_of_a_fork_starts_with_an_empty_pmap()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonShared));
        FB.Ok(m.Mmap(p, 0x20000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        FB.Ok(m.Fork(p, out var c));
        Assert.Empty(m.Pmaps.Mappings(m.P(c).Pmap));
    }

    [Fact]
    public void Mmap_may_extend_past_a_files_end_and_an_access_there_is_EFAULT()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(1, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 3, Prot.ReadWrite, MapKind.FileShared, f));
        FB.Ok(m.Mmap(p, 0x20000, 3, Prot.ReadWrite, MapKind.FilePrivate, f));
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x11000).Error);
        Assert.Equal(Errno.EFAULT, m.Write(p, 0x22000, 1).Error);
        Assert.False(m.TryPeek(p, 0x11000, out _));
        m.NoViolations();
    }

    [Fact]
    public void A_read_fault_on_a_writable_shared_file_mapping_enters_the_page_writable()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(1, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x10000, FbsdCase.Soft, prot: Prot.ReadWrite);
        Assert.True(m.Write(p, 0x10000, 3).Outcome.IsHit);
    }

    [Fact]
    public void Expect_value_of_a_swapped_out_page_returns_its_swapped_byte()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 0x5a);
        FB.Ok(m.Pageout(p, 0x10000, 1));
        Assert.Equal(0, m.CountResident(p, 0x10000, 1));
        Assert.Equal(0x5a, m.Peek(p, 0x10000));
    }

    [Fact]
    public void V_vm_faults_counts_every_call_of_vm_fault_wiring_and_failed_faults_included()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 3, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        Assert.Equal(3, m.Counter("v_vm_faults"));
        Assert.Equal(Errno.EFAULT, m.Read(p, 0x90000).Error);
        Assert.Equal(4, m.Counter("v_vm_faults"));
        Assert.True(m.Read(p, 0x10000).Outcome.IsHit);
        Assert.Equal(4, m.Counter("v_vm_faults"));
        Assert.Equal(4, m.Counter(CommonCounter.Faults));
    }

    [Fact]
    public void Every_successful_fault_counts_one_minflt_or_one_majflt_and_the_common_counters_are_their_sums()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(4, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        FB.Ok(m.Mmap(p, 0x40000, 4, Prot.ReadWrite, MapKind.FilePrivate, f));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        m.Access(p, 0x40000, FbsdCase.Shadow, io: 4);
        m.Access(p, 0x41000, FbsdCase.Cow, io: 0, write: 2);
        FB.Ok(m.Pageout(p, 0x10000, 1));
        m.Access(p, 0x10000, FbsdCase.Soft, io: 1);
        Assert.Equal(2, m.Counter("minflt"));
        Assert.Equal(2, m.Counter("majflt"));
        Assert.Equal(4, m.Counter(CommonCounter.Resolved));
        Assert.Equal(4, m.Counter(CommonCounter.Entered));
        Assert.Equal(2, m.Counter(CommonCounter.Minor));
        Assert.Equal(2, m.Counter(CommonCounter.Major));
        Assert.Equal(1, m.Counter(CommonCounter.ZeroFills));
        Assert.Equal(1, m.Counter(CommonCounter.Copies));
        Assert.Equal(2, m.Counter(CommonCounter.PageIns));
        Assert.Equal(1, m.Counter("v_vnodein"));
        Assert.Equal(4, m.Counter("v_vnodepgsin"));
        Assert.Equal(1, m.Counter("v_swapin"));
        Assert.Equal(1, m.Counter("v_swappgsin"));
        m.ResetCounters();
        Assert.Equal(0, m.Counter("majflt"));
    }

    [Fact]
    public void V_intrans_stays_zero_in_the_single_threaded_model()
    {
        // A busy page is only ever held by the fault in progress: no other fault can wait for it.
        var m = FB.NewMachine(pages: 32, swap: 32);
        var f = m.CreateFile(16, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 16, Prot.ReadWrite, MapKind.FileShared, f));
        for (ulong va = 0x10000; va < 0x20000; va += 0x1000)
            Assert.True(m.Write(p, va, 1).Ok);
        Assert.Equal(0, m.Counter("v_intrans"));
    }
}
