using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>The family's invariant checker sees each kind of corruption it is there for.</summary>
public sealed class InvariantRules
{
    /// <summary>A machine with a chain: p's shadow over the object p and its child c share, a file mapping.</summary>
    private static (FreeBsdMachine M, ProcId P, ProcId C) Chain()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(4, resident: true);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        FB.Ok(m.Mmap(p, 0x40000, 4, Prot.ReadWrite, MapKind.FileShared, f));
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x11000, 2);
        FB.Ok(m.Fork(p, out var c));
        m.Write(p, 0x10000, 3);
        m.Write(p, 0x40000, 4);
        m.NoViolations();
        return (m, p, c);
    }

    private static void Finds(FreeBsdMachine m, string what) =>
        Assert.Contains(m.CheckInvariants(), v => v.Contains(what));

    [Fact]
    public void A_wrong_reference_count_is_found()
    {
        var (m, p, _) = Chain();
        m.Obj(m.Obj(m.ObjectAt(p, 0x10000)).BackingObject).RefCount++;
        Finds(m, "ref_count");
    }

    [Fact]
    public void A_broken_chain_is_found()
    {
        var (m, p, _) = Chain();
        var top = m.ObjectAt(p, 0x10000);
        m.Obj(m.Obj(top).BackingObject).ShadowCount++;
        Finds(m, "shadow_count");
    }

    [Fact]
    public void A_leaked_page_is_found()
    {
        var (m, _, _) = Chain();
        var pg = m.Mem.Alloc(AnonId.Null, ObjId.Null, 0, zero: false);
        m.Mem.Activate(pg);
        Finds(m, "owned by no live object");
    }

    [Fact]
    public void A_leaked_swap_slot_is_found()
    {
        var (m, _, _) = Chain();
        Assert.True(m.Swap.Alloc() > 0);
        Finds(m, "swap");
    }

    [Fact]
    public void A_mapping_with_more_rights_than_its_entry_is_found()
    {
        var (m, p, _) = Chain();
        m.EntryAt(p, 0x40000).Protection = Prot.Read;
        Finds(m, "beyond the entry's");
    }

    [Fact]
    public void A_write_mapping_of_a_page_another_object_still_shadows_is_found()
    {
        var (m, _, c) = Chain();
        // the child maps the shared object's page 1 read-only; make it writable in the pmap
        Assert.True(m.Read(c, 0x11000).Ok);
        var shared = m.ObjectAt(c, 0x11000);
        var pg = m.VmPageLookup(shared, 1);
        m.EntryAt(c, 0x11000).NeedsCopy = false;
        FB.Ok(m.Pmaps.Enter(m.P(c).Pmap, 0x11000, pg, Prot.ReadWrite, Prot.None, wired: false));
        Finds(m, "still shadows");
    }

    [Fact]
    public void A_mapping_of_a_page_the_chain_does_not_hold_is_found()
    {
        var (m, p, c) = Chain();
        Assert.True(m.Read(c, 0x10000).Ok); // the old page of the shared object
        var oldPage = m.VmPageLookup(m.ObjectAt(c, 0x10000), 0);
        FB.Ok(m.Pmaps.Enter(m.P(p).Pmap, 0x10000, oldPage, Prot.Read, Prot.None, wired: false));
        Finds(m, "but the chain has");
    }
}
