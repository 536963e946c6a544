using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>struct vm_map_entry of 1995 FreeBSD: a range over one object, with the copy-on-write state of the era.</summary>
internal struct FbsdMapEntry
{
    public ulong Start, End;
    /// <summary>object.vm_object and offset (bytes into the object).</summary>
    public ObjId Object;
    public ulong Offset;
    public Prot Protection, MaxProtection;
    /// <summary>VM_INHERIT_SHARE (shared mappings) or VM_INHERIT_COPY (private ones).</summary>
    public bool InheritShare;
    /// <summary>copy_on_write: writes go to a private copy (a shadow object).</summary>
    public bool CopyOnWrite;
    /// <summary>needs_copy: the object is shared copy-on-write; a write fault shadows it first.</summary>
    public bool NeedsCopy;
    /// <summary>
    /// The model's mark of an entry vm_fault_copy_entry filled at fork: its pages were entered with the entry's
    /// max_protection (seed 805), which may exceed its protection until the next change of it.
    /// </summary>
    public bool EnteredWithMaxProt;
    public int WiredCount;
    public EntryId Prev, Next;

    public readonly int NPages => (int)((End - Start) >> PAGE_SHIFT);
    public readonly bool IsWired => WiredCount > 0;
}

public sealed partial class FreeBsdMachine
{
    /// <summary>vm_map_lookup_entry: true with the entry holding va, else false with the entry before va (or NULL).</summary>
    internal bool LookupEntry(VmProc p, ulong va, out EntryId entry)
    {
        if (p.HintStamp == p.Timestamp && !p.Hint.IsNull)
        {
            ref var h = ref Entries[p.Hint.Index];
            if (va >= h.Start && va < h.End)
            {
                entry = p.Hint;
                return true;
            }
        }
        entry = EntryId.Null;
        for (var e = p.First; !e.IsNull; e = Entries[e.Index].Next)
        {
            ref var r = ref Entries[e.Index];
            if (va < r.Start)
                return false;
            entry = e;
            if (va < r.End)
            {
                p.Hint = e;
                p.HintStamp = p.Timestamp;
                return true;
            }
        }
        return false;
    }

    /// <summary>The first entry that ends after va (the entry holding va, or the next one), or NULL.</summary>
    internal EntryId FirstEntryFrom(VmProc p, ulong va)
    {
        if (LookupEntry(p, va, out var e))
            return e;
        return e.IsNull ? p.First : Entries[e.Index].Next;
    }

    /// <summary>vm_map_clip_start: the entry starts at <paramref name="start"/>; the front part is a new entry
    /// with a reference of its own on the object (vm_object_reference).</summary>
    internal void ClipStart(VmProc p, EntryId e, ulong start)
    {
        if (start <= Entries[e.Index].Start)
            return;
        int ni = Entries.AllocGrowing();
        ref var old = ref Entries[e.Index];
        ref var front = ref Entries[ni];
        front = old;
        front.End = start;
        old.Offset += start - old.Start;
        old.Start = start;
        if (!old.Object.IsNull)
            Obj(old.Object).RefCount++;
        var n = new EntryId(ni);
        front.Next = e;
        front.Prev = old.Prev;
        if (old.Prev.IsNull) p.First = n; else Entries[old.Prev.Index].Next = n;
        old.Prev = n;
        p.Timestamp++;
    }

    /// <summary>vm_map_clip_end: the entry ends at <paramref name="end"/>; the back part is a new entry.</summary>
    internal void ClipEnd(VmProc p, EntryId e, ulong end)
    {
        if (end >= Entries[e.Index].End)
            return;
        int ni = Entries.AllocGrowing();
        ref var old = ref Entries[e.Index];
        ref var back = ref Entries[ni];
        back = old;
        back.Start = end;
        back.Offset += end - old.Start;
        old.End = end;
        if (!back.Object.IsNull)
            Obj(back.Object).RefCount++;
        var n = new EntryId(ni);
        back.Prev = e;
        back.Next = old.Next;
        if (!old.Next.IsNull) Entries[old.Next.Index].Prev = n;
        old.Next = n;
        p.Timestamp++;
    }

    internal void LinkEntry(VmProc p, EntryId prev, EntryId e)
    {
        ref var r = ref Entries[e.Index];
        r.Prev = prev;
        if (prev.IsNull)
        {
            r.Next = p.First;
            p.First = e;
        }
        else
        {
            r.Next = Entries[prev.Index].Next;
            Entries[prev.Index].Next = e;
        }
        if (!r.Next.IsNull)
            Entries[r.Next.Index].Prev = e;
        p.Timestamp++;
    }

    internal void UnlinkEntry(VmProc p, EntryId e)
    {
        ref var r = ref Entries[e.Index];
        if (r.Prev.IsNull) p.First = r.Next; else Entries[r.Prev.Index].Next = r.Next;
        if (!r.Next.IsNull) Entries[r.Next.Index].Prev = r.Prev;
        p.Timestamp++;
    }

    internal EntryId LastEntry(VmProc p)
    {
        var last = EntryId.Null;
        for (var e = p.First; !e.IsNull; e = Entries[e.Index].Next)
            last = e;
        return last;
    }

    /// <summary>
    /// vm_map_lookup (vm_map.c, 1995): the entry holding vaddr, its object and offset for the fault, the protection
    /// to enter with and whether the entry is wired. A write to a needs_copy entry shadows its object here, with
    /// the map locked (no restart); a read of one gets the protection without write. An entry with no object gets
    /// a fresh OBJT_DEFAULT one.
    /// </summary>
    /// <returns>OK, or EFAULT (KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE).</returns>
    internal Errno VmMapLookup(VmProc map, ulong vaddr, Prot faultType, out EntryId outEntry, out ObjId obj,
        out ulong offset, out Prot outProt, out bool wired)
    {
        obj = ObjId.Null;
        offset = 0;
        outProt = Prot.None;
        wired = false;
        // Lookup the faulting address (the hint first).
        if (!LookupEntry(map, vaddr, out outEntry))
            return Errno.EFAULT; // KERN_INVALID_ADDRESS
        ref var entry = ref Entries[outEntry.Index];

        // Check whether this task is allowed to have this page.
        var prot = entry.Protection;
        if ((faultType & prot) != faultType)
            return Errno.EFAULT; // KERN_PROTECTION_FAILURE

        // If this page is not pageable, we have to get it for all possible accesses.
        wired = entry.WiredCount != 0;
        if (wired)
            prot = faultType = entry.Protection;

        // If the entry was copy-on-write, we either ...
        if (entry.NeedsCopy)
        {
            // If we want to write the page, we may as well handle that now since we've got the map locked.
            // If we don't need to write the page, we just demote the permissions allowed.
            if ((faultType & Prot.Write) != 0)
            {
                // Make a new object, and place it in the object chain. Note that no new references have
                // appeared -- one just moved from the map to the new object. (The map lock is upgraded.)
                VmObjectShadow(ref entry.Object, ref entry.Offset, entry.End - entry.Start);
                entry.NeedsCopy = false;
                map.Timestamp++;
            }
            else
            {
                // We're attempting to read a copy-on-write page -- don't allow writes.
                prot &= ~Prot.Write;
            }
        }

        // Create an object if necessary.
        if (entry.Object.IsNull)
        {
            entry.Object = VmObjectAllocate(ObjType.Default, entry.End - entry.Start);
            entry.Offset = 0;
            map.Timestamp++;
        }

        // Return the object/offset from this entry. If the entry was copy-on-write or empty, it has been fixed up.
        offset = vaddr - entry.Start + entry.Offset;
        obj = entry.Object;
        outProt = prot;
        return Errno.OK;
    }
}
