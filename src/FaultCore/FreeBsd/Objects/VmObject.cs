namespace FaultLab.Core;

/// <summary>objtype_t: what backs an object's pages (vm_object.h, 1995).</summary>
internal enum ObjType : byte
{
    /// <summary>OBJT_DEFAULT: anonymous memory with no pager yet (zero fill at the end of its chain).</summary>
    Default,
    /// <summary>OBJT_SWAP: anonymous memory of the swap pager (swap_pager.c).</summary>
    Swap,
    /// <summary>OBJT_VNODE: a file's pages (vnode_pager.c).</summary>
    Vnode,
}

/// <summary>vm_object flags the model keeps.</summary>
[Flags]
internal enum ObjFlags : byte
{
    None = 0,
    /// <summary>OBJ_WRITEABLE: some page of it was entered writable.</summary>
    Writeable = 1,
    /// <summary>OBJ_DEAD: being terminated.</summary>
    Dead = 2,
}

/// <summary>
/// struct vm_object (vm_object.h as of 1995): a type, references, a size in bytes, paging_in_progress, the resident
/// pages (found by vm_page_lookup's hash of (object, offset), listed on memq), and the backing object the chain
/// continues in, at backing_object_offset. Shadow chains replace UVM's amaps and anons.
/// </summary>
internal struct VmObject
{
    public ObjType Type;
    public ObjFlags Flags;
    /// <summary>References: map entries, shadow objects backed by this one, and faults in progress.</summary>
    public int RefCount;
    /// <summary>How many objects have this one as their backing object (shadow_head's length).</summary>
    public int ShadowCount;
    /// <summary>Size in bytes (vm_size_t).</summary>
    public ulong Size;
    public int PagingInProgress;
    public ObjId BackingObject;
    public ulong BackingObjectOffset;
    /// <summary>memq: the resident pages (links in <see cref="FreeBsdMachine"/>'s page tables); 0 when empty.</summary>
    public int MemqHead;
    public int ResidentPageCount;
    /// <summary>shadow_head / shadow_list: the first object backed by this one, and the next one backed by this
    /// one's backing object.</summary>
    public ObjId ShadowHead, ShadowNext, ShadowPrev;
    /// <summary>The vnode (file) of an OBJT_VNODE object (its index in the machine's files); 0 otherwise.</summary>
    public int Vnode;
    /// <summary>Swap blocks the swap pager holds for it.</summary>
    public int SwapBlocks;

    /// <summary>Anonymous memory: no handle, the default or the swap pager (what collapse may merge).</summary>
    public readonly bool IsAnonymous => Type is ObjType.Default or ObjType.Swap;
}

/// <summary>A file of the machine: its bytes on disk and its vnode object (which lives as long as the file).</summary>
internal sealed class FbsdVnode(FileData file, ObjId obj)
{
    public FileData File { get; } = file;
    public ObjId Object { get; } = obj;
}
