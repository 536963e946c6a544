using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>Each operation on target and oracle, and what its result must be.</summary>
internal sealed partial class RunExecutor
{
    bool DoMmap(OracleProcess p, MmapOp m)
    {
        FileId file = default;
        OracleFile? ofile = null;
        if (m.IsFile)
        {
            if (m.File is null || !fileIds.TryGetValue(m.File, out file)) return false;
            ofile = Oracle.Files[m.File];
        }
        var got = target.Mmap(p.Id, m.Addr, m.Pages, m.Prot, m.Kind, file, m.PgOff, m.Wired);
        if (BadRange(m.Addr, m.Pages))
        {
            Expect(m, got, Errno.EINVAL);
            return true;
        }
        var vpn = Oracle.Vpn(m.Addr);
        if (Oracle.Cover(p, vpn, m.Pages) != Coverage.None)
        {
            Expect(m, got, Errno.EINVAL);                        // overlap: nothing changes
            return true;
        }
        if (!m.Wired)
        {
            Expect(m, got, Errno.OK);
            if (got == Errno.OK) Oracle.Map(p, vpn, m.Pages, m.Prot, m.Kind, ofile, m.PgOff);
            return true;
        }
        ExpectOneOf(m, got, Errno.OK, Errno.ENOMEM);
        if (got == Errno.OK)
        {
            Oracle.Map(p, vpn, m.Pages, m.Prot, m.Kind, ofile, m.PgOff);
            Oracle.Lock(p, vpn, m.Pages, succeeded: true);
            CheckWired(m, p, vpn, m.Pages);
            CheckWiringFaults(m, m.Pages);
        }
        else if (got == Errno.ENOMEM && (m.Prot & Prot.Read) != 0)
        {
            // Whether a failed wired mmap leaves the mapping (mmap + failed mlock) or removes it (as NetBSD's
            // uvm_mmap does) is not stated; a peek tells, page by page, without changing anything.
            for (var i = 0; i < m.Pages; i++)
            {
                if (!target.TryPeek(p.Id, m.Addr + (ulong)(i * PageSize), out _)) continue;
                Oracle.Map(p, vpn + (ulong)i, 1, m.Prot, m.Kind, ofile, m.PgOff + i);
                Oracle.Lock(p, vpn + (ulong)i, 1, succeeded: false);
            }
        }
        return true;
    }

    void DoRange(OracleProcess p, RangeOp r)
    {
        var got = Noted(r.Verb switch
        {
            RangeVerb.Munmap => target.Munmap(p.Id, r.Addr, r.Pages),
            RangeVerb.Mlock => target.Mlock(p.Id, r.Addr, r.Pages),
            RangeVerb.Munlock => target.Munlock(p.Id, r.Addr, r.Pages),
            RangeVerb.Loan => target.Loan(p.Id, r.Addr, r.Pages),
            RangeVerb.Unloan => target.Unloan(p.Id, r.Addr, r.Pages),
            RangeVerb.Pageout => target.Pageout(p.Id, r.Addr, r.Pages),
            _ => throw new ArgumentException(r.ToString()),
        });
        if (BadRange(r.Addr, r.Pages))
        {
            Expect(r, got, Errno.EINVAL);
            return;
        }
        var vpn = Oracle.Vpn(r.Addr);
        var cover = Oracle.Cover(p, vpn, r.Pages);
        switch (r.Verb)
        {
            case RangeVerb.Munmap:
                // sys_munmap acts on what the range covers: holes and unmapped ranges succeed.
                Expect(r, got, Errno.OK);
                if (got == Errno.OK) Oracle.Unmap(p, vpn, r.Pages);
                break;
            case RangeVerb.Mlock:
                // uvm_map_pageable refuses a range with a hole or a VM_PROT_NONE entry (EINVAL) before it wires
                // anything; otherwise wiring may run out of memory half-way.
                var noneInside = Oracle.SlotsIn(p, vpn, r.Pages).Any(s => s.Prot == Prot.None);
                if (cover == Coverage.Full && noneInside) Expect(r, got, Errno.EINVAL);
                else if (cover == Coverage.Full) ExpectOneOf(r, got, Errno.OK, Errno.ENOMEM);
                var wasWired = Oracle.SlotsIn(p, vpn, r.Pages).Where(s => s.Wired).ToHashSet();
                if (got != Errno.EINVAL) Oracle.Lock(p, vpn, r.Pages, succeeded: got == Errno.OK);
                if (got == Errno.OK)
                {
                    CheckWired(r, p, vpn, r.Pages, wasWired);
                    CheckWiringFaults(r, r.Pages - wasWired.Count);
                }
                break;
            case RangeVerb.Munlock:
                if (got == Errno.OK) Oracle.Unlock(p, vpn, r.Pages);
                break;
            case RangeVerb.Loan:
                // uvm_loan: an unmapped page of the range is ENOENT (its uvmfault_lookup fails).
                if (cover != Coverage.Full) ExpectOneOf(r, got, Errno.ENOENT, Errno.EINVAL, Errno.ENOMEM);
                if (got == Errno.OK) Loans.Add(r);
                break;
            case RangeVerb.Unloan:
                if (got == Errno.OK)
                    Loans.RemoveAll(l => l.P == r.P && l.Addr >= r.Addr && l.Addr + (ulong)l.Pages * PageSize <= r.Addr + (ulong)r.Pages * PageSize);
                break;
            case RangeVerb.Pageout:
                break;                                           // never changes what anybody sees
        }
    }

    /// <summary>After a successful mlock, every accessible page of the range that was not wired before is mapped
    /// wired. (An entry already wired is not faulted again: uvm_map_pageable faults only entries whose
    /// wired_count became 1, so a wired page whose mapping mprotect none removed stays unmapped.)</summary>
    void CheckWired(Op op, OracleProcess p, ulong vpn, int n, HashSet<Slot>? wasWired = null)
    {
        for (var i = 0; i < n; i++)
        {
            if (!p.Slots.TryGetValue(vpn + (ulong)i, out var s) || s.Prot == Prot.None) continue;
            if (wasWired is not null && wasWired.Contains(s)) continue;
            var addr = (vpn + (ulong)i) << Oracle.PageShift;
            var unmappedByACopy = target.Family.Semantics.CopyMayUnmapWiredPages && target.CountMapped(p.Id, addr, 1) == 0;
            if (target.CountWired(p.Id, addr, 1) != 1 && !unmappedByACopy)
                Fail("wiring", $"`{op}` succeeded but {Op.Hex(addr)} is not mapped wired");
        }
    }

    /// <summary>uvm_fault_wire calls the fault entry point once per page it wires, and each call counts in
    /// <c>faults</c>: a successful mlock counts one per page of the range that was not wired before.</summary>
    void CheckWiringFaults(Op op, int pages)
    {
        var faults = target.Counter(CommonCounter.Faults) - last[(int)CommonCounter.Faults];
        if (faults != pages)
            Fail("counter", $"`{op}` wired {pages} page(s) but changed faults by {faults}");
    }

    void DoMprotect(OracleProcess p, MprotectOp m)
    {
        var got = Noted(target.Mprotect(p.Id, m.Addr, m.Pages, m.Prot));
        if (BadRange(m.Addr, m.Pages))
        {
            Expect(m, got, Errno.EINVAL);
            return;
        }
        // uvm_map_protect acts on the entries inside the range (holes are fine) and max_protection is rw.
        Expect(m, got, Errno.OK);
        if (got == Errno.OK) Oracle.Protect(p, Oracle.Vpn(m.Addr), m.Pages, m.Prot);
    }

    void DoMadvise(OracleProcess p, MadviseOp m)
    {
        var got = Noted(target.Madvise(p.Id, m.Addr, m.Pages, m.Advice));
        if (BadRange(m.Addr, m.Pages))
        {
            Expect(m, got, Errno.EINVAL);
            return;
        }
        // uvm_map_advice: holes are fine; a family whose madvise is a stub says so for every valid request
        Expect(m, got, target.Family.Semantics.MadviseSupported ? Errno.OK : Errno.EOPNOTSUPP);
    }

    bool DoFork(OracleProcess p, ForkOp f)
    {
        if (Oracle.Find(f.Child) is not null) return false;
        var got = target.Fork(p.Id, out var child);
        ExpectOneOf(f, got, Errno.OK, Errno.ENOMEM);
        if (got == Errno.OK)
        {
            if (!target.IsAlive(child)) Fail("process", $"`{f}` succeeded but the child is not alive");
            Oracle.Fork(p, f.Child, child, target.Family.Semantics.ForkMapsWiredCopiesWithMaxProtection);
        }
        return true;
    }

    void DoExit(OracleProcess p)
    {
        var got = target.Exit(p.Id);
        Expect(new ExitOp(p.Name), got, Errno.OK);
        if (got != Errno.OK) return;
        Oracle.Exit(p);
        if (target.IsAlive(p.Id)) Fail("process", $"`{p.Name} exit` succeeded but the process is still alive");
    }

    void DoRead(OracleProcess p, ReadOp r)
    {
        var res = target.Read(p.Id, r.Addr);
        var s = Oracle.SlotAt(p, r.Addr);
        CheckAccess(r, res, s, Prot.Read);
        if (res.Ok && s is not null && (s.Allowed & Prot.Read) != 0)
        {
            var k = Oracle.Offset(r.Addr);
            var expected = Oracle.Describe(s, k);
            if (!Oracle.Observe(s, k, res.Value))
                Fail("value", $"`{r}` returned {Op.Hex(res.Value)}, expected {expected}");
        }
    }

    void DoWrite(OracleProcess p, WriteOp w)
    {
        var res = target.Write(p.Id, w.Addr, w.Value);
        var s = Oracle.SlotAt(p, w.Addr);
        CheckAccess(w, res, s, Prot.ReadWrite);
        if (s is null || (s.Prot != Prot.ReadWrite && !(s.MayExceedProt && res.Ok))) return;
        if (res.Ok) Oracle.Write(s, Oracle.Offset(w.Addr), w.Value);
        else if (res.Error == Errno.ENOMEM && s.Kind == MapKind.FilePrivate)
            Oracle.MayHaveCopied(s, certainly: false);           // the promotion may have happened before ENOMEM
    }

    /// <summary>Rights, errno, result shape and the fault count of one access.</summary>
    void CheckAccess(Op op, AccessResult res, Slot? s, Prot needed)
    {
        Note(res.Error);
        var allowed = s is not null && (s.Prot & needed) == needed;
        // a mapping with more rights than the protection (fork's wired copies) may let the access hit
        var exceeded = !allowed && s is { MayExceedProt: true } && res.Ok && res.Outcome.IsHit;
        if (!allowed && !exceeded)
        {
            if (res.Error != Errno.EFAULT)
                Fail("access", $"`{op}`: {(s is null ? "no mapping" : $"mapping is {Op.ProtName(s.Prot)}")}, " +
                               $"expected EFAULT, got {Show(res)}");
        }
        else if (res.Error is not (Errno.OK or Errno.ENOMEM))
        {
            Fail("access", $"`{op}`: mapping is {Op.ProtName(s!.Prot)}, expected success, got {Show(res)}");
        }
        if (res.Ok != (res.Outcome != Outcome.Failed))
            Fail("result", $"`{op}`: inconsistent result {Show(res)}");
        if (res.Outcome.IsHit && (res.Restarts != 0 || res.Detail0 != 0 || res.Detail1 != 0))
            Fail("result", $"`{op}`: a hit that reports a count ({string.Join(", ", target.Family.Keys.Select(k => k.Name))}): {Show(res)}");
        if (res.Ok && s is not null && ((res.ProtAfter & needed) != needed || (res.ProtAfter & ~s.Allowed) != 0))
            Fail("result", $"`{op}`: mapping is {Op.ProtName(s.Prot)}, access needs {Op.ProtName(needed)}, " +
                           $"but the pmap says {Op.ProtName(res.ProtAfter)} after it");
        var faults = target.Counter(CommonCounter.Faults) - last[(int)CommonCounter.Faults];
        var expected = res.Outcome.IsHit ? 0 : 1;
        if (faults != expected)
            Fail("counter", $"`{op}` ({Show(res)}) changed faults by {faults}, expected {expected}");
    }

    string Show(AccessResult r) =>
        r.Ok ? $"{target.Family.OutcomeName(r.Outcome)} value={Op.Hex(r.Value)} prot={Op.ProtName(r.ProtAfter)}"
             : $"{r.Error} ({target.Family.OutcomeName(r.Outcome)})";

    void DoPagedaemon(PagedaemonOp d)
    {
        var freed = target.PageDaemon(d.Pages);
        if (freed < 0 || freed > d.Pages) Fail("result", $"`{d}` reports {freed} pages freed");
    }

    // ---- the state after a step ----
}
