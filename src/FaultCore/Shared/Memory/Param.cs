namespace FaultLab.Core;

/// <summary>Machine-independent constants of the model (sys/uvm/uvm_param.h, uvm_fault.c).</summary>
internal static class Param
{
    public const int PAGE_SIZE = 4096;
    public const int PAGE_SHIFT = 12;
    public const ulong PAGE_MASK = PAGE_SIZE - 1;

    /// <summary>Must be the MAX() of nback + nforw + 1 over <c>uvmadvice</c>.</summary>
    public const int UVM_MAXRANGE = 16;

    /// <summary>The model's user address space ends here (39-bit, three page-table levels).</summary>
    public const ulong VM_MAXUSER_ADDRESS = 1UL << 39;

    public static ulong TruncPage(ulong va) => va & ~PAGE_MASK;
    public static bool Aligned(ulong va) => (va & PAGE_MASK) == 0;
}

/// <summary>A page frame (1..pages); 0 is NULL, -1 is PGO_DONTCARE.</summary>
internal readonly record struct PageId(int Index)
{
    public static PageId Null => default;
    public static PageId DontCare => new(-1);
    public bool IsNull => Index == 0;
    /// <summary>A real page: neither NULL nor PGO_DONTCARE.</summary>
    public bool IsPage => Index > 0;
    public override string ToString() => Index switch { 0 => "NULL", -1 => "DONTCARE", _ => $"pg{Index}" };
}

/// <summary>An anon (an index into the anon pool); 0 is NULL.</summary>
internal readonly record struct AnonId(int Index)
{
    public static AnonId Null => default;
    public bool IsNull => Index == 0;
    public override string ToString() => Index == 0 ? "NULL" : $"an{Index}";
}

/// <summary>An amap; 0 is NULL.</summary>
internal readonly record struct AmapId(int Index)
{
    public static AmapId Null => default;
    public bool IsNull => Index == 0;
    public override string ToString() => Index == 0 ? "NULL" : $"am{Index}";
}

/// <summary>A map entry; 0 is the list's end.</summary>
internal readonly record struct EntryId(int Index)
{
    public static EntryId Null => default;
    public bool IsNull => Index == 0;
    public override string ToString() => Index == 0 ? "NULL" : $"ent{Index}";
}

/// <summary>A uvm_object (vnode); 0 is NULL. The same number as the public <see cref="FileId"/>.</summary>
internal readonly record struct ObjId(int Index)
{
    public static ObjId Null => default;
    public bool IsNull => Index == 0;
    public override string ToString() => Index == 0 ? "NULL" : $"uobj{Index}";
}
