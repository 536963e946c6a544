using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>SEMANTICS-FREEBSD.md, "Objects".</summary>
public sealed class ObjectRules
{
    [Fact]
    public void An_object_has_a_type_references_a_size_paging_in_progress_resident_pages_and_a_backing_object()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(8, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x40000, 4, Prot.ReadWrite, MapKind.FilePrivate, f, pgoff: 2));
        m.Access(p, 0x41000, FbsdCase.Shadow, depth: 1);
        var front = m.ObjectAt(p, 0x40000);
        ref var o = ref m.Obj(front);
        Assert.Equal(ObjType.Default, o.Type);
        Assert.Equal(1, o.RefCount);
        Assert.Equal(4UL * 4096, o.Size);
        Assert.Equal(0, o.PagingInProgress);
        Assert.Equal(m.VnodeObject(f), o.BackingObject);
        Assert.Equal(2UL * 4096, o.BackingObjectOffset);
        var vnode = m.VnodeObject(f);
        Assert.Equal(ObjType.Vnode, m.Obj(vnode).Type);
        Assert.Equal(1, m.Obj(vnode).RefCount); // the private object's
        Assert.Equal(1, m.Obj(vnode).ShadowCount);
        // the page read is found by (object, offset): file page 3
        Assert.True(m.VmPageLookup(vnode, 3).IsPage);
        Assert.True(m.VmPageLookup(front, 1).IsNull); // the placeholder was freed again
        m.NoViolations();
    }

    [Fact]
    public void Shadow_makes_a_default_object_backed_by_the_old_one_and_the_entrys_reference_moves_to_it()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 1);
        var old = m.ObjectAt(p, 0x10000);
        FB.Ok(m.Fork(p, out var c));
        Assert.Equal(2, m.Obj(old).RefCount);
        m.Access(c, 0x10000, FbsdCase.Cow, depth: 1, restarts: 0, write: 2);
        var shadow = m.ObjectAt(c, 0x10000);
        Assert.NotEqual(old, shadow);
        Assert.Equal(ObjType.Default, m.Obj(shadow).Type);
        Assert.Equal(old, m.Obj(shadow).BackingObject);
        Assert.Equal(0UL, m.Obj(shadow).BackingObjectOffset);
        Assert.Equal(2, m.Obj(old).RefCount); // the parent's entry and the shadow: no change
        Assert.Equal(1, m.Obj(old).ShadowCount);
        Assert.False(m.EntryAt(c, 0x10000).NeedsCopy);
        m.NoViolations();
    }

    [Fact]
    public void An_entry_with_no_object_gets_a_fresh_default_one_at_its_first_fault()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        // An entry with no object does not come from mmap in this family; make one as a 1995 kernel map has them.
        ref var e = ref m.EntryAt(p, 0x10000);
        m.VmObjectDeallocate(e.Object);
        e.Object = ObjId.Null;
        m.Access(p, 0x11000, FbsdCase.Zfod, write: 7);
        var obj = m.ObjectAt(p, 0x10000);
        Assert.False(obj.IsNull);
        Assert.Equal(ObjType.Default, m.Obj(obj).Type);
        Assert.Equal(0UL, m.EntryAt(p, 0x10000).Offset);
        m.NoViolations();
    }

    [Fact]
    public void Mmap_makes_the_objects_at_once()
    {
        var m = FB.NewMachine();
        var f = m.CreateFile(4, resident: false);
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        FB.Ok(m.Mmap(p, 0x20000, 2, Prot.ReadWrite, MapKind.AnonShared));
        FB.Ok(m.Mmap(p, 0x30000, 2, Prot.ReadWrite, MapKind.FilePrivate, f, 1));
        FB.Ok(m.Mmap(p, 0x40000, 2, Prot.ReadWrite, MapKind.FileShared, f, 1));

        foreach (ulong va in new ulong[] { 0x10000, 0x20000 })
        {
            // an anonymous object of its own: the swap pager's, no swap yet, no handle, not copy-on-write
            ref var e = ref m.EntryAt(p, va);
            Assert.Equal(ObjType.Swap, m.Obj(e.Object).Type);
            Assert.Equal(0, m.Obj(e.Object).SwapBlocks);
            Assert.Equal(0, m.Obj(e.Object).Vnode);
            Assert.True(m.Obj(e.Object).BackingObject.IsNull);
            Assert.False(e.CopyOnWrite);
            Assert.False(e.NeedsCopy);
        }
        ref var priv = ref m.EntryAt(p, 0x30000);
        Assert.Equal(ObjType.Default, m.Obj(priv.Object).Type);
        Assert.Equal(m.VnodeObject(f), m.Obj(priv.Object).BackingObject);
        Assert.Equal(4096UL, m.Obj(priv.Object).BackingObjectOffset);
        Assert.True(priv.CopyOnWrite);
        Assert.False(priv.NeedsCopy);
        ref var shared = ref m.EntryAt(p, 0x40000);
        Assert.Equal(m.VnodeObject(f), shared.Object);
        Assert.Equal(4096UL, shared.Offset);
        Assert.False(shared.CopyOnWrite);
        Assert.Equal(2, m.Obj(m.VnodeObject(f)).RefCount);
        m.NoViolations();
    }

    [Fact]
    public void Collapse_merges_an_anonymous_backing_object_of_one_reference_moving_up_the_pages_not_shadowed()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 3, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 0x41);
        m.Access(p, 0x11000, FbsdCase.Zfod, write: 0x51);
        var old = m.ObjectAt(p, 0x10000);
        FB.Ok(m.Fork(p, out var c));
        FB.Ok(m.Exit(c));
        int free = m.FreePages;
        m.Access(p, 0x10000, FbsdCase.Cow, depth: 1, write: 0x42);
        Assert.Equal(1, m.Counter("object_collapses"));
        Assert.False(m.Objects.IsLive(old.Index));
        var top = m.ObjectAt(p, 0x10000);
        Assert.True(m.Obj(top).BackingObject.IsNull);
        Assert.Equal(2, m.Obj(top).ResidentPageCount); // the copy, and page 1 moved up
        Assert.Equal(free, m.FreePages);               // the shadowed old page 0 was freed
        Assert.Equal(0x51, m.Peek(p, 0x11000));
        m.NoViolations();
    }

    [Fact]
    public void Collapse_bypasses_a_default_backing_object_whose_every_page_the_front_object_shadows()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 0x41);
        var bottom = m.ObjectAt(p, 0x10000);
        FB.Ok(m.Fork(p, out _));
        m.Access(p, 0x10000, FbsdCase.Cow, write: 0x42);
        var middle = m.ObjectAt(p, 0x10000);
        FB.Ok(m.Fork(p, out var c2));
        m.Access(p, 0x10000, FbsdCase.Cow, write: 0x43);
        var top = m.ObjectAt(p, 0x10000);
        Assert.Equal(0, m.Counter("object_bypasses")); // the page just copied is still busy in that collapse
        m.VmObjectCollapse(top);
        Assert.Equal(1, m.Counter("object_bypasses"));
        Assert.Equal(bottom, m.Obj(top).BackingObject);
        Assert.Equal(1, m.Obj(middle).RefCount);         // c2's entry
        Assert.Equal(0x42, m.Peek(c2, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void A_swap_object_is_never_bypassed()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 0x41);
        var bottom = m.ObjectAt(p, 0x10000);
        FB.Ok(m.Fork(p, out _));
        m.Access(p, 0x10000, FbsdCase.Cow, write: 0x42); // the shadow holds every page the bottom holds
        var top = m.ObjectAt(p, 0x10000);
        m.VmObjectCollapse(top);
        Assert.Equal(bottom, m.Obj(top).BackingObject);
        Assert.Equal(0, m.Counter("object_bypasses"));
        m.NoViolations();
    }

    [Fact]
    public void Nothing_is_collapsed_while_paging_is_in_progress()
    {
        var m = FB.NewMachine();
        var p = m.CreateProcess();
        FB.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FbsdCase.Zfod, write: 0x41);
        FB.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FbsdCase.Cow, write: 0x42);
        var top = m.ObjectAt(c, 0x10000);
        var bottom = m.Obj(top).BackingObject;
        FB.Ok(m.Exit(p)); // bottom: one reference left, its shadow's; the exit's deallocate merged it
        Assert.Equal(1, m.Counter("object_collapses"));

        // again, with paging in progress on the backing object
        var q = m.CreateProcess();
        FB.Ok(m.Mmap(q, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(q, 0x10000, FbsdCase.Zfod, write: 0x41);
        FB.Ok(m.Fork(q, out var d));
        m.Access(d, 0x10000, FbsdCase.Cow, write: 0x42);
        var top2 = m.ObjectAt(d, 0x10000);
        var bottom2 = m.Obj(top2).BackingObject;
        m.Obj(bottom2).RefCount--; // as if q's reference were gone...
        m.Obj(bottom2).PagingInProgress++;
        m.VmObjectCollapse(top2);
        Assert.Equal(bottom2, m.Obj(top2).BackingObject);
        m.Obj(bottom2).PagingInProgress--;
        m.VmObjectCollapse(top2);
        Assert.True(m.Obj(top2).BackingObject.IsNull);
        Assert.Equal(2, m.Counter("object_collapses"));
        _ = bottom;
    }
}
