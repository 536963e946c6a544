using System.Runtime.CompilerServices;

namespace FaultLab.Core;

/// <summary>
/// The NetBSD family's locks, by the order 1.208 states at the top of uvm_fault.c: MAPS ⇒ AMAP ⇒ UOBJ ⇒ ANON ⇒
/// PAGE QUEUES, with the KERNEL_LOCK outside them all. An anon has no lock of its own: its an_lock is its amap's
/// am_lock, so the ANON rank is the AMAP rank.
/// </summary>
internal enum LockRank : byte
{
    /// <summary>KERNEL_LOCK: the big lock (OpenBSD's uvm_fault still takes it; 1.208 does not).</summary>
    Kernel,
    /// <summary>vm_map_lock / vm_map_lock_read: a process's map.</summary>
    Map,
    /// <summary>amap_lock (am_lock, which the amap's anons share as an_lock).</summary>
    Amap,
    /// <summary>mutex_enter(uobj->vmobjlock).</summary>
    Uobj,
    /// <summary>mutex_enter(&amp;uvm_pageqlock).</summary>
    PageQueues,
}

/// <summary>
/// Acquire and release functions with 1.208's names for every lock the family takes. The model is
/// single-threaded: each call records, on the machine's tracker, which instance is held (a map by its process, an
/// amap, an object) and, in the checked configuration, asserts ownership and the lock order. Without the checked
/// configuration the calls are empty: they are static and take the machine, so once the JIT folds K.Checked
/// nothing of them is left (not even a load of the tracker). The locking regimes of LOCKING.md give them teeth.
/// </summary>
internal sealed class UvmLocks
{
    private const int MaxHeld = 16;
    private readonly (LockRank Rank, int Instance, bool Write)[] held = new (LockRank, int, bool)[MaxHeld];
    private int depth;

    /// <summary>How many locks are held now (0 between operations).</summary>
    public int Depth => depth;

    // ---- the map (vm_map_lock*)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VmMapLockRead(Machine m, VmProc map) { if (K.Checked) m.Locks.Acquire(LockRank.Map, map.Slot, write: false); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VmMapUnlockRead(Machine m, VmProc map) { if (K.Checked) m.Locks.Release(LockRank.Map, map.Slot, write: false); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VmMapLock(Machine m, VmProc map) { if (K.Checked) m.Locks.Acquire(LockRank.Map, map.Slot, write: true); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VmMapUnlock(Machine m, VmProc map) { if (K.Checked) m.Locks.Release(LockRank.Map, map.Slot, write: true); }

    /// <summary>vm_map_downgrade: the write lock becomes a read lock (uvm_map_pageable, before it wires).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VmMapDowngrade(Machine m, VmProc map)
    {
        if (!K.Checked)
            return;
        m.Locks.Release(LockRank.Map, map.Slot, write: true);
        m.Locks.Acquire(LockRank.Map, map.Slot, write: false);
    }

    /// <summary>vm_map_upgrade: the read lock becomes a write lock again (uvm_map_pageable's failure path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VmMapUpgrade(Machine m, VmProc map)
    {
        if (!K.Checked)
            return;
        m.Locks.Release(LockRank.Map, map.Slot, write: false);
        m.Locks.Acquire(LockRank.Map, map.Slot, write: true);
    }

    /// <summary>Unlocks the map in the mode it is held (the end of an operation's <see cref="MapLock"/> scope).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VmMapUnlockHeld(Machine m, VmProc map)
    {
        if (K.Checked)
            m.Locks.UnlockHeld(map);
    }

    private void UnlockHeld(VmProc map)
    {
        int i = Find(LockRank.Map, map.Slot);
        if (i < 0)
            K.Fail($"map of p{map.Id} unlocked but not locked (holding {Describe()})");
        Release(LockRank.Map, map.Slot, held[i].Write);
    }

    // ---- the amap, and through it its anons (amap_lock, an_lock)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AmapLock(Machine m, AmapId amap) { if (K.Checked) m.Locks.Acquire(LockRank.Amap, amap.Index, write: true); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AmapUnlock(Machine m, AmapId amap) { if (K.Checked) m.Locks.Release(LockRank.Amap, amap.Index, write: true); }

    // ---- the object (uobj->vmobjlock)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UobjLock(Machine m, ObjId uobj) { if (K.Checked) m.Locks.Acquire(LockRank.Uobj, uobj.Index, write: true); }

    /// <summary>mutex_tryenter(uobj->vmobjlock) against the order, as the page daemon does (never fails here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UobjTryLock(Machine m, ObjId uobj) { if (K.Checked) m.Locks.Push(LockRank.Uobj, uobj.Index, write: true); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UobjUnlock(Machine m, ObjId uobj) { if (K.Checked) m.Locks.Release(LockRank.Uobj, uobj.Index, write: true); }

    /// <summary>The amap's lock taken with mutex_tryenter against the order (the page daemon's anon pages).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AnonTryLock(Machine m, AnonId anon) { if (K.Checked) m.Locks.Push(LockRank.Amap, -anon.Index, write: true); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AnonUnlock(Machine m, AnonId anon) { if (K.Checked) m.Locks.Release(LockRank.Amap, -anon.Index, write: true); }

    // ---- the page queues (uvm_pageqlock) and the KERNEL_LOCK

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UvmLockPageq(Machine m) { if (K.Checked) m.Locks.Acquire(LockRank.PageQueues, 0, write: true); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UvmUnlockPageq(Machine m) { if (K.Checked) m.Locks.Release(LockRank.PageQueues, 0, write: true); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void KernelLock(Machine m) { if (K.Checked) m.Locks.Acquire(LockRank.Kernel, 0, write: true); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void KernelUnlockOne(Machine m) { if (K.Checked) m.Locks.Release(LockRank.Kernel, 0, write: true); }

    // ---- assertions

    /// <summary>Whether this map is locked (read or write); true when the checks are off.</summary>
    public static bool HoldsMap(Machine m, VmProc map) => !K.Checked || m.Locks.Find(LockRank.Map, map.Slot) >= 0;

    /// <summary>Whether this map is write-locked; true when the checks are off.</summary>
    public static bool HoldsMapWrite(Machine m, VmProc map) => !K.Checked || m.Locks.HeldFor(map, write: true);

    private bool HeldFor(VmProc map, bool write)
    {
        for (int i = 0; i < depth; i++)
            if (held[i] == (LockRank.Map, map.Slot, write))
                return true;
        return false;
    }

    public static bool HoldsAmap(Machine m, AmapId amap) => !K.Checked || m.Locks.Find(LockRank.Amap, amap.Index) >= 0;

    public static bool HoldsUobj(Machine m, ObjId uobj) => !K.Checked || m.Locks.Find(LockRank.Uobj, uobj.Index) >= 0;

    /// <summary>What is held, innermost last (for messages and the invariant check).</summary>
    public string Describe()
    {
        var parts = new string[depth];
        for (int i = 0; i < depth; i++)
            parts[i] = $"{held[i].Rank}#{held[i].Instance}{(held[i].Rank == LockRank.Map ? (held[i].Write ? "(write)" : "(read)") : "")}";
        return string.Join(" ⇒ ", parts);
    }

    private int Find(LockRank rank, int instance)
    {
        for (int i = depth - 1; i >= 0; i--)
            if (held[i].Rank == rank && held[i].Instance == instance)
                return i;
        return -1;
    }

    /// <summary>
    /// Takes a lock in order: nothing of a later rank may be held, an amap or object lock is not taken twice, and a
    /// map is locked again only for reading while its holder reads it (uvm_fault_wire under uvm_map_pageable).
    /// </summary>
    private void Acquire(LockRank rank, int instance, bool write)
    {
        for (int k = 0; k < depth; k++)
            if (held[k].Rank > rank)
                K.Fail($"lock order: {rank}#{instance} taken while holding {Describe()}");
        int i = Find(rank, instance);
        if (i >= 0 && (rank != LockRank.Map || write || held[i].Write))
            K.Fail($"{rank}#{instance} locked twice (holding {Describe()})");
        Push(rank, instance, write);
    }

    private void Push(LockRank rank, int instance, bool write)
    {
        if (depth == MaxHeld)
            K.Fail($"more than {MaxHeld} locks held: {Describe()}");
        held[depth++] = (rank, instance, write);
    }

    private void Release(LockRank rank, int instance, bool write)
    {
        for (int i = depth - 1; i >= 0; i--)
        {
            if (held[i] != (rank, instance, write))
                continue;
            Array.Copy(held, i + 1, held, i, depth - i - 1);
            depth--;
            return;
        }
        K.Fail($"{rank}#{instance} released but not held (holding {Describe()})");
    }
}

/// <summary>A process operation's hold on its map (vm_map_lock ... vm_map_unlock): <c>using var _ = LockMap(p);</c>.</summary>
internal readonly ref struct MapLock(Machine m, VmProc map)
{
    public void Dispose() => UvmLocks.VmMapUnlockHeld(m, map);
}
