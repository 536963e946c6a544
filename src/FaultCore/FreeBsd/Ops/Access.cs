using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>The accesses: a pmap hit, or the trap into vm_fault; the access on the page's bytes.</summary>
public sealed partial class FreeBsdMachine
{
    private AccessResult AccessImpl(ProcId pid, ulong addr, Prot access, byte value)
    {
        var p = LiveProc(pid);
        if (p is null)
            return new AccessResult(Errno.EINVAL, Outcome.Failed, 0, 0, Prot.None, 0);
        ulong va = TruncPage(addr);
        int off = (int)(addr & PAGE_MASK);

        if (!Pmaps.Extract(p.Pmap, va, out var pg, out var prot, out _) || (prot & access) != access)
        {
            // No mapping with the needed right: trap to vm_fault.
            ReserveForFault();
            var error = FreeBsdFault.VmFault(this, p, va, access, changeWiring: false,
                out var fcase, out int depth, out int io, out int restarts);
            if (error != Errno.OK)
                return new AccessResult(error, Outcome.Failed, restarts, 0, MappedProtImpl(pid, va), 0, io);
            if (!Pmaps.Extract(p.Pmap, va, out pg, out prot, out _) || (prot & access) != access)
                throw new InvalidOperationException($"model bug: fault at 0x{va:x} succeeded without a {access} mapping");
            return new AccessResult(Errno.OK, fcase.ToOutcome(), restarts, depth, prot, Touch(pg, off, access, value), io);
        }
        return new AccessResult(Errno.OK, Outcome.Hit, 0, 0, prot, Touch(pg, off, access, value));
    }

    /// <summary>The access itself, on the page's real bytes (the MMU sets the reference and modify bits).</summary>
    private byte Touch(PageId pg, int off, Prot access, byte value)
    {
        ref var p = ref Mem[pg];
        p.Referenced = true;
        var frame = Mem.Frame(pg);
        if ((access & Prot.Write) != 0)
        {
            frame[off] = value;
            p.Flags &= ~PageFlags.Clean;
            return value;
        }
        return frame[off];
    }
}
