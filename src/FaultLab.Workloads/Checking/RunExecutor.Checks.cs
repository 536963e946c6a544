using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>The checks after every step: invariants, counters, and every process's view against the oracle.</summary>
internal sealed partial class RunExecutor
{
    void CheckState(Op? op)
    {
        CheckCounters(op);
        if (Violation is null)
        {
            var problems = target.CheckInvariants();
            if (problems.Count > 0)
                Fail("invariant", $"after `{op?.ToString() ?? "setup"}`: {string.Join("; ", problems.Take(5))}" +
                                  (problems.Count > 5 ? $" (+{problems.Count - 5} more)" : ""));
        }
        if (Violation is null) CheckViews(op);
    }

    /// <summary>Every counter of the target, in its family's order.</summary>
    static long[] Counters(IMachine machine)
    {
        var values = new long[machine.Family.Counters.Count];
        machine.ReadCounters(values);
        return values;
    }

    void CheckCounters(Op? op)
    {
        var now = Counters(target);
        var names = target.Family.Counters;
        if (op is ResetCountersOp)
        {
            for (var i = 0; i < names.Count; i++)
                if (now[i] != 0) Fail("counter", $"`{op}` left {names[i]} = {now[i]}");
        }
        else
        {
            for (var i = 0; i < names.Count; i++)
                if (now[i] < last[i])
                    Fail("counter", $"{names[i]} went down from {last[i]} to {now[i]} in `{op}`");
            // Only accesses, mlock (uvm_fault_wire) and wired mmap call the fault entry point (loan does not).
            var faulting = op is ReadOp or WriteOp or MmapOp { Wired: true } || op is RangeOp { Verb: RangeVerb.Mlock };
            const int faults = (int)CommonCounter.Faults;
            if (!faulting && now[faults] != last[faults])
                Fail("counter", $"`{op?.ToString() ?? "setup"}` changed faults from {last[faults]} to {now[faults]}");
        }
        last = now;
    }

    /// <summary>Pages of the window, beside the mapped ones, looked at per process and step (round robin).</summary>
    const int UnmappedPagesPerStep = 8;

    /// <summary>Every live process: the pmap never grants more than the mapping allows, and a peek sees what the
    /// oracle says — at every mapped page (at two offsets that vary with the step) and at a few unmapped ones.</summary>
    void CheckViews(Op? op)
    {
        var hot = HotOffsets[step % HotOffsets.Length];
        var cold = (int)(((uint)step * 2654435761u) >> 20);
        const int span = WindowPages + 4;
        foreach (var p in Oracle.Processes)
        {
            if (!target.IsAlive(p.Id))
            {
                Fail("process", $"{p.Name} is not alive after `{op}`");
                return;
            }
            foreach (var (vpn, s) in p.Slots) CheckPage(op, p, vpn, s, hot, cold);
            for (var i = 0; i < UnmappedPagesPerStep; i++)
            {
                var vpn = WindowFirstVpn - 2 + (ulong)((step * UnmappedPagesPerStep + i) % span);
                if (!p.Slots.ContainsKey(vpn)) CheckPage(op, p, vpn, null, hot, cold);
            }
            if (Violation is not null) return;
        }
    }

    void CheckPage(Op? op, OracleProcess p, ulong vpn, Slot? s, int hot, int cold)
    {
        var page = vpn << Oracle.PageShift;
        var prot = s?.Allowed ?? Prot.None;
        var pmap = target.MappedProt(p.Id, page);
        if ((pmap & ~prot) != 0)
            Fail("pmap", $"after `{op}`: {p.Name} {Op.Hex(page)} is mapped {Op.ProtName(pmap)} in the pmap, " +
                         $"but the mapping allows {(s is null ? "nothing (unmapped)" : Op.ProtName(prot))}");
        // A pmap mapping points at a page in memory, and a wired page is never paged out.
        if ((pmap != Prot.None || s is { Wired: true }) && target.CountResident(p.Id, page, 1) != 1)
            Fail("resident", $"after `{op}`: {p.Name} {Op.Hex(page)} is {(pmap != Prot.None ? "mapped" : "wired")} " +
                             "but its page is not resident");
        foreach (var k in (ReadOnlySpan<int>)[hot, cold])
        {
            var addr = page + (ulong)k;
            var ok = target.TryPeek(p.Id, addr, out var value);
            if (s is null || (s.Prot & Prot.Read) == 0)
            {
                if (ok) Fail("peek", $"after `{op}`: {p.Name} {Op.Hex(addr)} is not readable, but a peek saw {Op.Hex(value)}");
            }
            else if (!ok)
            {
                Fail("peek", $"after `{op}`: {p.Name} {Op.Hex(addr)} is readable, but a peek failed");
            }
            else
            {
                var expected = Oracle.Describe(s, k);
                if (!Oracle.Observe(s, k, value))
                    Fail("peek", $"after `{op}`: {p.Name} {Op.Hex(addr)} holds {Op.Hex(value)}, expected {expected}");
            }
        }
    }
}
