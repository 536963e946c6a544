using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>The process operations' shared helpers: argument checks and the map lock of an operation.</summary>
public sealed partial class Machine
{
    private static bool ValidRange(ulong addr, int npages) =>
        npages > 0 && Aligned(addr) && addr < VM_MAXUSER_ADDRESS &&
        (ulong)npages <= (VM_MAXUSER_ADDRESS - addr) >> PAGE_SHIFT;

    /// <summary>The model's protections are none, r and rw (the MMU has no write-only pages).</summary>
    private static bool ValidProt(Prot prot) => prot is Prot.None or Prot.Read or Prot.ReadWrite;

    private static ulong End(ulong addr, int npages) => addr + ((ulong)npages << PAGE_SHIFT);

    private VmProc? LiveProc(ProcId pid) => Proc(pid) is { Alive: true } p ? p : null;

    /// <summary>vm_map_lock(map) until the end of the operation's scope (then vm_map_unlock, in the mode held).</summary>
    private MapLock LockMap(VmProc p)
    {
        UvmLocks.VmMapLock(this, p);
        return new MapLock(this, p);
    }
}
