using FaultLab.Core.Tests.Semantics;

namespace FaultLab.Core.Tests;

/// <summary>The NetBSD family's lock API (UvmLocks): instances, order and ownership, in the checked configuration.</summary>
public sealed class LockTests
{
    private static (Machine M, VmProc P) Machine()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        return (m, m.P(p));
    }

    [Fact]
    public void Locks_taken_in_order_are_recorded_by_instance_and_released()
    {
        var (m, p) = Machine();
        var locks = m.Locks;
        UvmLocks.KernelLock(m);
        UvmLocks.VmMapLockRead(m, p);
        UvmLocks.AmapLock(m, new AmapId(3));
        UvmLocks.UobjLock(m, new ObjId(1));
        UvmLocks.UvmLockPageq(m);
        Assert.Equal(5, locks.Depth);
        Assert.True(UvmLocks.HoldsMap(m, p));
        Assert.False(UvmLocks.HoldsMapWrite(m, p));
        Assert.True(UvmLocks.HoldsAmap(m, new AmapId(3)));
        Assert.False(UvmLocks.HoldsAmap(m, new AmapId(4)));
        Assert.True(UvmLocks.HoldsUobj(m, new ObjId(1)));
        Assert.Equal($"Kernel#0 ⇒ Map#{p.Slot}(read) ⇒ Amap#3 ⇒ Uobj#1 ⇒ PageQueues#0", locks.Describe());
        UvmLocks.UvmUnlockPageq(m);
        UvmLocks.UobjUnlock(m, new ObjId(1));
        UvmLocks.AmapUnlock(m, new AmapId(3));
        UvmLocks.VmMapUnlockRead(m, p);
        UvmLocks.KernelUnlockOne(m);
        Assert.Equal(0, locks.Depth);
        m.NoViolations();
    }

    [Fact]
    public void Taking_a_lock_against_the_MAPS_AMAP_UOBJ_PAGEQ_order_is_a_KASSERT()
    {
        var (m, p) = Machine();
        var locks = m.Locks;
        UvmLocks.UobjLock(m, new ObjId(1));
        var e = Assert.Throws<InvalidOperationException>(() => UvmLocks.AmapLock(m, new AmapId(2)));
        Assert.Contains("lock order: Amap#2 taken while holding Uobj#1", e.Message);
        Assert.Throws<InvalidOperationException>(() => UvmLocks.VmMapLockRead(m, p));
        UvmLocks.UvmLockPageq(m);
        Assert.Throws<InvalidOperationException>(() => UvmLocks.UobjLock(m, new ObjId(2)));
        UvmLocks.UobjTryLock(m, new ObjId(2)); // mutex_tryenter against the order, as the page daemon does
        Assert.Equal(3, locks.Depth);
    }

    [Fact]
    public void A_lock_taken_twice_or_released_unheld_is_a_KASSERT_but_a_map_may_be_read_again_by_its_reader()
    {
        var (m, _) = Machine();
        UvmLocks.AmapLock(m, new AmapId(1));
        Assert.Throws<InvalidOperationException>(() => UvmLocks.AmapLock(m, new AmapId(1)));
        Assert.Throws<InvalidOperationException>(() => UvmLocks.UobjUnlock(m, new ObjId(9)));
        var (m2, p) = Machine();
        var l2 = m2.Locks;
        UvmLocks.VmMapLock(m2, p);
        Assert.Throws<InvalidOperationException>(() => UvmLocks.VmMapLockRead(m2, p)); // a writer does not read-lock again
        UvmLocks.VmMapDowngrade(m2, p);
        UvmLocks.VmMapLockRead(m2, p); // uvm_fault_wire's faults under uvm_map_pageable's downgraded lock
        Assert.Equal(2, l2.Depth);
        UvmLocks.VmMapUnlockRead(m2, p);
        UvmLocks.VmMapUpgrade(m2, p);
        Assert.True(UvmLocks.HoldsMapWrite(m2, p));
        UvmLocks.VmMapUnlockHeld(m2, p);
        Assert.Equal(0, l2.Depth);
    }

    [Fact]
    public void Every_operation_and_fault_leaves_no_lock_held()
    {
        // The invariant checker reports a lock left held; a run through every kind of operation leaves none.
        var m = T.NewMachine(pages: 32, swap: 64);
        var f = m.CreateFile(8, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 8, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Mmap(p, 0x100000, 8, Prot.ReadWrite, MapKind.FilePrivate, f));
        T.Ok(m.Mmap(p, 0x200000, 4, Prot.ReadWrite, MapKind.AnonShared, wired: true));
        for (ulong i = 0; i < 8; i++)
        {
            m.Write(p, 0x10000 + i * S.PG, 1);
            m.Read(p, 0x100000 + i * S.PG);
        }
        T.Ok(m.Fork(p, out var c));
        m.Write(c, 0x10000, 2);
        m.Write(c, 0x100000, 3);
        T.Ok(m.Loan(p, 0x10000, 2));
        T.Ok(m.Mlock(p, 0x100000, 2));
        T.Ok(m.Pageout(p, 0x10000, 8));
        m.PageDaemon(8);
        T.Ok(m.Mprotect(p, 0x10000, 8, Prot.Read));
        T.Ok(m.Madvise(p, 0x100000, 8, Advice.Sequential));
        T.Ok(m.Munlock(p, 0x100000, 2));
        T.Ok(m.Unloan(p, 0x10000, 2));
        T.Ok(m.Munmap(p, 0x10000, 4));
        T.Ok(m.Exit(c));
        Assert.Equal(0, m.Locks.Depth);
        m.NoViolations();
    }
}
