using static FaultLab.Core.Param;

namespace FaultLab.Core;

/// <summary>The accesses: a pmap hit, or the trap into the fault entry point; the access on the page's bytes.</summary>
public sealed partial class Machine
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
            // No mapping with the needed right: trap to the fault entry point.
            ReserveForFaultAt(p, va);
            long before = counters.fltnamap + counters.fltnomap;
            var error = UvmFault.FaultInternal(this, p, va, access, FaultFlag.None, out var fcase, out int restarts);
            int neighbors = (int)(counters.fltnamap + counters.fltnomap - before);
            if (error != Errno.OK)
                return new AccessResult(error, Outcome.Failed, restarts, neighbors, MappedProtImpl(pid, va), 0);
            if (!Pmaps.Extract(p.Pmap, va, out pg, out prot, out _) || (prot & access) != access)
                throw new InvalidOperationException($"model bug: fault at 0x{va:x} succeeded without a {access} mapping");
            return new AccessResult(Errno.OK, fcase.ToOutcome(), restarts, neighbors, prot, Touch(pg, off, access, value));
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
