using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>vm_object.c as of 1995: allocate, reference, deallocate, terminate, shadow, collapse (and bypass).</summary>
public sealed partial class FreeBsdMachine
{
    /// <summary>
    /// vm_object_allocate: a new object of one reference. Takes from the object pool without growing it (the fault
    /// path reserved room before the fault; every other caller reserves before it calls).
    /// </summary>
    internal ObjId VmObjectAllocate(ObjType type, ulong size)
    {
        int i = Objects.TryAlloc();
        if (i == 0)
            throw new InvalidOperationException("model bug: vm_object_allocate with no room reserved in the object pool");
        ref var o = ref Objects[i];
        o.Type = type;
        o.RefCount = 1;
        o.Size = size;
        return new ObjId(i);
    }

    /// <summary>vm_object_reference.</summary>
    internal void VmObjectReference(ObjId obj)
    {
        if (!obj.IsNull)
            Obj(obj).RefCount++;
    }

    /// <summary>vm_object_pip_wakeup: one less paging operation in progress on the object.</summary>
    internal void VmObjectPipWakeup(ObjId obj)
    {
        ref var o = ref Obj(obj);
        K.Assert(o.PagingInProgress > 0);
        o.PagingInProgress--;
    }

    /// <summary>Links <paramref name="shadow"/> onto <paramref name="backing"/>'s shadow list (shadow_count++).</summary>
    private void ShadowListInsert(ObjId backing, ObjId shadow)
    {
        ref var b = ref Obj(backing);
        ref var s = ref Obj(shadow);
        s.ShadowPrev = ObjId.Null;
        s.ShadowNext = b.ShadowHead;
        if (!b.ShadowHead.IsNull)
            Obj(b.ShadowHead).ShadowPrev = shadow;
        b.ShadowHead = shadow;
        b.ShadowCount++;
    }

    /// <summary>TAILQ_REMOVE(&amp;backing->shadow_head, shadow, shadow_list) (shadow_count--).</summary>
    private void ShadowListRemove(ObjId backing, ObjId shadow)
    {
        ref var b = ref Obj(backing);
        ref var s = ref Obj(shadow);
        if (s.ShadowPrev.IsNull) b.ShadowHead = s.ShadowNext; else Obj(s.ShadowPrev).ShadowNext = s.ShadowNext;
        if (!s.ShadowNext.IsNull) Obj(s.ShadowNext).ShadowPrev = s.ShadowPrev;
        s.ShadowNext = s.ShadowPrev = ObjId.Null;
        b.ShadowCount--;
    }

    /// <summary>
    /// vm_object_shadow: create a new object which is backed by the specified existing object range. The source
    /// object reference is deallocated. The new object and offset into that object are returned in the source
    /// parameters.
    /// </summary>
    internal void VmObjectShadow(ref ObjId obj, ref ulong offset, ulong length)
    {
        var source = obj;
        // Allocate a new object with the given length.
        var result = VmObjectAllocate(ObjType.Default, length);
        // The new object shadows the source object, adding a reference to it. Our caller changes his reference
        // to point to the new object, removing a reference to the source object. Net result: no change of
        // reference count.
        ref var r = ref Obj(result);
        r.BackingObject = source;
        if (!source.IsNull)
            ShadowListInsert(source, result);
        // Store the offset into the source object, and fix up the offset into the new object.
        Obj(result).BackingObjectOffset = offset;
        // Return the new things.
        offset = 0;
        obj = result;
    }

    /// <summary>
    /// vm_object_deallocate: release a reference to the specified object, gained either through a
    /// vm_object_allocate or a vm_object_reference call. When all references are gone, storage associated with
    /// this object may be relinquished. When the last reference but one goes from an anonymous object and the
    /// one left is that of its only anonymous shadow, that shadow is collapsed into it.
    /// </summary>
    internal void VmObjectDeallocate(ObjId obj)
    {
        while (!obj.IsNull)
        {
            ref var o = ref Obj(obj);
            if (o.RefCount == 0)
                throw new InvalidOperationException($"vm_object_deallocate: object {obj} deallocated too many times");
            // Lose the reference
            o.RefCount--;
            if (o.RefCount != 0)
            {
                if (o.RefCount == 1 && o.IsAnonymous)
                {
                    var robject = o.ShadowHead;
                    if (!robject.IsNull && Obj(robject).IsAnonymous)
                    {
                        // (the kernel waits here for both objects' paging_in_progress to drain; in the model no
                        // paging is in progress outside a fault, and a fault holds its own reference.)
                        if (Obj(robject).PagingInProgress != 0 || o.PagingInProgress != 0)
                            return;
                        if (Obj(robject).RefCount == 0)
                        {
                            Obj(robject).RefCount += 1;
                            obj = robject;
                            continue;
                        }
                        VmObjectCollapse(robject);
                        return;
                    }
                }
                // If there are still references, then we are done.
                return;
            }

            // A vnode's object persists with its file (OBJ_CANPERSIST): its pages stay cached.
            if (o.Type == ObjType.Vnode)
                return;

            // Make sure no one uses us.
            o.Flags |= ObjFlags.Dead;
            var temp = o.BackingObject;
            if (!temp.IsNull)
                ShadowListRemove(temp, obj);
            VmObjectTerminate(obj);
            obj = temp;
        }
    }

    /// <summary>vm_object_terminate: free all of an object's pages and swap, then the object itself.</summary>
    private void VmObjectTerminate(ObjId obj)
    {
        ref var o = ref Obj(obj);
        K.Assert(o.PagingInProgress == 0 && o.ShadowCount == 0);
        while (o.MemqHead != 0)
        {
            var pg = new PageId(o.MemqHead);
            Pmaps.PageProtect(pg, Prot.None); // vm_page_protect(p, VM_PROT_NONE)
            VmPageFree(pg);
        }
        if (o.SwapBlocks != 0)
        {
            for (int s = 1; s < SwapObject.Length && Obj(obj).SwapBlocks != 0; s++)
                if (SwapObject[s] == obj)
                    SwapFreeSlot(s);
        }
        Objects.Release(obj.Index);
    }

    /// <summary>
    /// vm_object_collapse: collapse an object with the object backing it. Pages in the backing object are moved
    /// into the parent, and the backing object is deallocated (when the parent holds its only reference); else, when
    /// every page of an OBJT_DEFAULT backing object is shadowed by the parent, the parent bypasses it. Then again
    /// with the parent's new backing object. Nothing is collapsed while either has paging in progress.
    /// </summary>
    internal void VmObjectCollapse(ObjId obj)
    {
        while (true)
        {
            // Verify that the conditions are right for collapse: the object exists and no pages in it are
            // currently being paged out.
            if (obj.IsNull || Obj(obj).PagingInProgress != 0)
                return;
            // There is a backing object, and
            var backing = Obj(obj).BackingObject;
            if (backing.IsNull)
                return;
            // ... the backing object is not read_only, and no pages in the backing object are currently being
            // paged out. The backing object is internal.
            ref var b = ref Obj(backing);
            if (!b.IsAnonymous || b.PagingInProgress != 0)
                return;

            ulong backingOffset = Obj(obj).BackingObjectOffset;
            ulong size = Obj(obj).Size;

            // If there is exactly one reference to the backing object, we can collapse it into the parent.
            if (b.RefCount == 1)
            {
                // We can collapse the backing object. Move all in-memory pages from backing_object to the parent.
                // Pages that have been shadowed in the parent object are freed, as are those outside it.
                while (Obj(backing).MemqHead != 0)
                {
                    var p = new PageId(Obj(backing).MemqHead);
                    ulong newOffset = ((ulong)Mem[p].Offset << PAGE_SHIFT) - backingOffset;
                    bool outside = ((ulong)Mem[p].Offset << PAGE_SHIFT) < backingOffset || newOffset >= size;
                    if (outside || !VmPageLookup(obj, (int)(newOffset >> PAGE_SHIFT)).IsNull ||
                        SwapLookup(obj, (int)(newOffset >> PAGE_SHIFT)) != 0)
                    {
                        Pmaps.PageProtect(p, Prot.None);
                        VmPageFree(p);
                    }
                    else
                    {
                        VmPageRename(p, obj, (int)(newOffset >> PAGE_SHIFT));
                    }
                }
                // Move the pager from backing_object to object (swap_pager_copy): the blocks the parent does not
                // have, inside it, move up; the others are freed.
                if (Obj(backing).SwapBlocks != 0)
                {
                    for (int s = 1; s < SwapObject.Length && Obj(backing).SwapBlocks != 0; s++)
                    {
                        if (SwapObject[s] != backing)
                            continue;
                        ulong boff = (ulong)SwapIndex[s] << PAGE_SHIFT;
                        ulong newOffset = boff - backingOffset;
                        int np = (int)(newOffset >> PAGE_SHIFT);
                        if (boff < backingOffset || newOffset >= size || !VmPageLookup(obj, np).IsNull || SwapLookup(obj, np) != 0)
                        {
                            SwapFreeSlot(s);
                        }
                        else
                        {
                            SwapRename(s, obj, np);
                            Obj(obj).Type = ObjType.Swap;
                        }
                    }
                }
                // Object now shadows whatever backing_object did.
                var next = Obj(backing).BackingObject;
                ulong nextOffset = Obj(backing).BackingObjectOffset;
                ShadowListRemove(backing, obj);
                if (!next.IsNull)
                {
                    ShadowListRemove(next, backing);
                    ShadowListInsert(next, obj);
                }
                ref var o = ref Obj(obj);
                o.BackingObject = next;
                o.BackingObjectOffset += nextOffset;
                // Discard backing_object. Since the backing object has no pages, no pager left, and no object
                // references within it, all that is necessary is to dispose of it.
                Obj(backing).BackingObject = ObjId.Null;
                Objects.Release(backing.Index);
                Cnt.object_collapses++;
            }
            else
            {
                // If all of the pages in the backing object are shadowed by the parent object, the parent object
                // no longer has to shadow the backing object; it can shadow the next one in the chain. The backing
                // object must not be paged out - we'd have to check all of the paged-out pages, as well.
                if (b.Type != ObjType.Default)
                    return;
                for (int i = b.MemqHead; i != 0; i = MemqNext[i])
                {
                    ulong poff = (ulong)Mem[new PageId(i)].Offset << PAGE_SHIFT;
                    ulong newOffset = poff - backingOffset;
                    // If the parent has a page here, or if this page falls outside the parent, keep going.
                    // Otherwise, the backing_object must be left in the chain.
                    if (poff >= backingOffset && newOffset < size)
                    {
                        int np = (int)(newOffset >> PAGE_SHIFT);
                        var pp = VmPageLookup(obj, np);
                        if ((pp.IsNull || (Mem[pp].Flags & PageFlags.Busy) != 0 || Valid[pp.Index] == 0) && SwapLookup(obj, np) == 0)
                            return; // Page still needed. Can't go any further.
                    }
                }
                // Make the parent shadow the next object in the chain. Deallocating backing_object will not
                // remove it, since its reference count is at least 2.
                var next = b.BackingObject;
                ShadowListRemove(backing, obj);
                VmObjectReference(next);
                ref var o = ref Obj(obj);
                o.BackingObject = next;
                if (!next.IsNull)
                    ShadowListInsert(next, obj);
                o.BackingObjectOffset += Obj(backing).BackingObjectOffset;
                // Drop the reference count on backing_object. Since its ref_count was at least 2, it will not
                // vanish; so we don't need to call vm_object_deallocate.
                Obj(backing).RefCount--;
                Cnt.object_bypasses++;
            }
            // Try again with this object's new backing object.
        }
    }
}
