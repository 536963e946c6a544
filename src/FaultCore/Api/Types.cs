namespace FaultLab.Core;

/// <summary>Error numbers the model returns, named as NetBSD names them. <c>OK</c> is success.</summary>
public enum Errno : byte
{
    OK = 0,
    EFAULT,
    ENOMEM,
    EIO,
    EINVAL,
    EACCES,
    /// <summary>No map entry at an address of the range (uvm_loan's failed uvmfault_lookup).</summary>
    ENOENT,
    /// <summary>Internal to the fault path: the pass must be redone (never returned by an operation).</summary>
    ERESTART,
}

/// <summary>VM_PROT_* bits. The model has no execute permission.</summary>
[Flags]
public enum Prot : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>MADV_* values; they index the <c>uvmadvice</c> table.</summary>
public enum Advice : byte
{
    Normal = 0,
    Random = 1,
    Sequential = 2,
}

/// <summary>How a range is mapped by <see cref="Machine.Mmap"/>.</summary>
public enum MapKind : byte
{
    AnonPrivate,
    AnonShared,
    FilePrivate,
    FileShared,
}

/// <summary>The fault case of an access's final, successful pass (SEMANTICS.md).</summary>
public enum FaultCase : byte
{
    /// <summary>No fault: the pmap already had a mapping with the needed right.</summary>
    Hit = 0,
    /// <summary>uvm_fault_upper_direct.</summary>
    Upper1A,
    /// <summary>uvm_fault_upper_promote.</summary>
    Upper1B,
    /// <summary>uvm_fault_lower_direct.</summary>
    Lower2A,
    /// <summary>uvm_fault_lower_promote (object copy or zero fill).</summary>
    Lower2B,
    /// <summary>The access failed; see <see cref="AccessResult.Error"/>.</summary>
    Failed,
}

/// <summary>A process of the machine (index into the machine's process table).</summary>
public readonly record struct ProcId(int Value);

/// <summary>A file (vnode) of the machine.</summary>
public readonly record struct FileId(int Value);

/// <summary>What one read or write did.</summary>
public readonly record struct AccessResult(
    Errno Error,
    FaultCase Case,
    int Restarts,
    int Neighbors,
    Prot ProtAfter,
    byte Value)
{
    public bool Ok => Error == Errno.OK;
    public bool Faulted => Case != FaultCase.Hit;
}

/// <summary>Which implementation of the fault path a machine runs.</summary>
public enum FaultPath : byte
{
    /// <summary>The reference: the readable generic path.</summary>
    Generic,
    /// <summary>One variant per configuration, partially evaluated by the Roslyn generator.</summary>
    Specialized,
    /// <summary>The same copies over a struct type parameter: the JIT folds the configuration.</summary>
    Monomorphized,
}

/// <summary>Size of the simulated machine.</summary>
public sealed record MachineConfig
{
    /// <summary>Physical page frames (4 KiB each).</summary>
    public int Pages { get; init; } = 4096;
    /// <summary>Swap slots (4 KiB each).</summary>
    public int SwapSlots { get; init; } = 8192;
    /// <summary>Page-table pages the pmaps of all processes may use; when exhausted pmap_enter fails (PMAP_CANFAIL).</summary>
    public int PageTablePages { get; init; } = 4096;
    public FaultPath Path { get; init; } = FaultPath.Generic;
}
