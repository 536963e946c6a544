using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>What went wrong, at which step (0-based; -1 while setting the machine up).</summary>
internal sealed record Violation(string Kind, int Step, string Message)
{
    /// <summary>For a divergence in the result of the step's operation: the reference path's result as a scenario
    /// outcome, which the printed scenario states after the operation.</summary>
    public string? ReferenceOutcome { get; init; }

    public override string ToString() => Step < 0 ? $"{Kind}: {Message}" : $"step {Step + 1}: {Kind}: {Message}";
}

/// <summary>
/// Runs operations on a fresh target and, in lock step, on the <see cref="Oracle"/>, checking after every step
/// that they agree: access results and values, operation errnos, pmap rights, peeked contents, the model's own
/// invariants, and the counters. Operations on processes that do not exist are skipped, so any sub-list of a
/// run replays. When the target is a <see cref="LockstepTarget"/>, a difference between its fault paths is the
/// step's violation (kind <c>divergence</c>), ahead of anything else the step found.
/// </summary>
internal sealed class RunExecutor
{
    /// <summary>The virtual window the generator works in: pages [First, First + Pages), across a 2 MiB boundary
    /// (0x200000) so that a process needs two leaf page-table pages.</summary>
    public const ulong WindowFirstVpn = 0x1e8;
    public const int WindowPages = 48;
    const int PageSize = PageImage.PageSize;

    /// <summary>Offsets at which the generator writes most often (so that peeks see what was written).</summary>
    public static readonly int[] HotOffsets = [0, 1, 2, 0x7ff, 0x800, 0xffe, 0xfff];

    readonly IMachine target;
    readonly RunSetup setup;
    readonly Dictionary<string, FileId> fileIds = [];
    Counters last;
    int step;
    Errno? error;

    public Oracle Oracle { get; } = new();
    public Violation? Violation { get; private set; }
    /// <summary>Operations executed (skipped ones excluded).</summary>
    public int Executed { get; private set; }
    /// <summary>Per step, whether the operation was skipped (its process does not exist).</summary>
    public List<bool> Skipped { get; } = [];
    /// <summary>Per step, the error the operation returned (null: success, or skipped) — for annotating scenarios.</summary>
    public List<Errno?> Errors { get; } = [];
    /// <summary>Loans that succeeded and have not been ended by an unloan of their whole range (for the generator).</summary>
    public List<RangeOp> Loans { get; } = [];
    public int LoanedPages => Loans.Sum(l => l.Pages);

    RunExecutor(RunSetup setup, IMachine target)
    {
        this.setup = setup;
        this.target = target;
    }

    /// <summary>A fresh machine for <paramref name="setup"/>; check <see cref="Violation"/> before stepping.</summary>
    public static RunExecutor Start(RunSetup setup, FaultPath path, Func<MachineConfig, IMachine> factory)
    {
        RunExecutor? exec = null;
        try
        {
            exec = new RunExecutor(setup, factory(setup.ToConfig(path)));
            foreach (var f in setup.Files)
            {
                exec.fileIds.Add(f.Name, exec.target.CreateFile(f.Pages, f.Resident));
                exec.Oracle.AddFile(f.Name, f.Pages);
            }
            foreach (var p in setup.Procs) exec.Oracle.AddProcess(p, exec.target.CreateProcess());
            exec.last = exec.target.Counters;
            exec.CheckState(null);
            exec.CompareLanes("setup");
        }
        catch (Exception e)
        {
            exec ??= new RunExecutor(setup, NullTarget.Instance);
            exec.Violation ??= new Violation("exception", -1, $"setting up the machine: {Describe(e)}");
        }
        return exec;
    }

    /// <summary>Replays <paramref name="ops"/> on a fresh machine, up to the first violation.</summary>
    public static RunExecutor Replay(RunSetup setup, FaultPath path, Func<MachineConfig, IMachine> factory,
        IReadOnlyList<Op> ops)
    {
        var exec = Start(setup, path, factory);
        foreach (var op in ops)
        {
            if (exec.Violation is not null) break;
            exec.Step(op);
        }
        return exec;
    }

    /// <summary>Executes one operation and checks the machine after it. Returns the violation, if any.</summary>
    public Violation? Step(Op op)
    {
        if (Violation is not null) throw new InvalidOperationException("the run already failed");
        error = null;
        var executed = false;
        try
        {
            if (executed = Execute(op))
            {
                Executed++;
                CheckState(op);
            }
        }
        catch (Exception e)
        {
            Fail("exception", $"`{op}` threw {Describe(e)}");
        }
        if (executed || Violation is not null) CompareLanes($"`{op}`");
        Errors.Add(error);
        Skipped.Add(!executed && Violation?.Step != step);
        step++;
        return Violation;
    }

    static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    /// <summary>A lockstep target's paths must agree on the step; a difference replaces whatever else the step
    /// found (the reference path's own violations are secondary once the paths disagree).</summary>
    void CompareLanes(string what)
    {
        if (target is not LockstepTarget lockstep) return;
        Divergence? found;
        try
        {
            found = lockstep.EndStep();
        }
        catch (Exception e)
        {
            Fail("exception", $"comparing the fault paths after {what} threw {Describe(e)}");
            return;
        }
        if (found is not null)
            Violation = new Violation("divergence", step, $"{what}: {found.Message}") { ReferenceOutcome = found.ReferenceOutcome };
    }

    void Fail(string kind, string message) => Violation ??= new Violation(kind, step, message);

    static bool BadRange(ulong addr, int npages) => (addr & (PageSize - 1)) != 0 || npages <= 0;

    // ---- operations ----

    /// <summary>Runs <paramref name="op"/> on target and oracle; false if it was skipped.</summary>
    bool Execute(Op op)
    {
        OracleProcess? p = null;
        if (op.Proc is { } name && (p = Oracle.Find(name)) is null) return false;
        switch (op)
        {
            case MmapOp m: return DoMmap(p!, m);
            case RangeOp r: DoRange(p!, r); return true;
            case MprotectOp m: DoMprotect(p!, m); return true;
            case MadviseOp m: DoMadvise(p!, m); return true;
            case ForkOp f: return DoFork(p!, f);
            case ExitOp: DoExit(p!); return true;
            case ReadOp r: DoRead(p!, r); return true;
            case WriteOp w: DoWrite(p!, w); return true;
            case PagedaemonOp d: DoPagedaemon(d); return true;
            case ResetCountersOp:
                target.ResetCounters();
                last = default;
                return true;
            default: throw new ArgumentException($"unknown operation {op}");
        }
    }

    void Expect(Op op, Errno got, Errno expected)
    {
        Note(got);
        if (got != expected) Fail("errno", $"`{op}`: expected {expected}, got {got}");
    }

    Errno Noted(Errno got)
    {
        Note(got);
        return got;
    }

    void Note(Errno got) => error = got == Errno.OK ? null : got;

    void ExpectOneOf(Op op, Errno got, params Errno[] allowed)
    {
        Note(got);
        if (Array.IndexOf(allowed, got) < 0) Fail("errno", $"`{op}`: expected {string.Join(" or ", allowed)}, got {got}");
    }

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
            if (target.CountWired(p.Id, addr, 1) != 1)
                Fail("wiring", $"`{op}` succeeded but {Op.Hex(addr)} is not mapped wired");
        }
    }

    /// <summary>uvm_fault_wire calls the fault entry point once per page it wires, and each call counts in
    /// <c>faults</c>: a successful mlock counts one per page of the range that was not wired before.</summary>
    void CheckWiringFaults(Op op, int pages)
    {
        var faults = target.Counters.faults - last.faults;
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
        Expect(m, got, Errno.OK);                                // uvm_map_advice: holes are fine
    }

    bool DoFork(OracleProcess p, ForkOp f)
    {
        if (Oracle.Find(f.Child) is not null) return false;
        var got = target.Fork(p.Id, out var child);
        ExpectOneOf(f, got, Errno.OK, Errno.ENOMEM);
        if (got == Errno.OK)
        {
            if (!target.IsAlive(child)) Fail("process", $"`{f}` succeeded but the child is not alive");
            Oracle.Fork(p, f.Child, child);
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
        if (res.Ok && s is not null && (s.Prot & Prot.Read) != 0)
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
        if (s is null || s.Prot != Prot.ReadWrite) return;
        if (res.Ok) Oracle.Write(s, Oracle.Offset(w.Addr), w.Value);
        else if (res.Error == Errno.ENOMEM && s.Kind == MapKind.FilePrivate)
            Oracle.MayHaveCopied(s, certainly: false);           // the promotion may have happened before ENOMEM
    }

    /// <summary>Rights, errno, result shape and the fault count of one access.</summary>
    void CheckAccess(Op op, AccessResult res, Slot? s, Prot needed)
    {
        Note(res.Error);
        var allowed = s is not null && (s.Prot & needed) == needed;
        if (!allowed)
        {
            if (res.Error != Errno.EFAULT)
                Fail("access", $"`{op}`: {(s is null ? "no mapping" : $"mapping is {Op.ProtName(s.Prot)}")}, " +
                               $"expected EFAULT, got {Show(res)}");
        }
        else if (res.Error is not (Errno.OK or Errno.ENOMEM))
        {
            Fail("access", $"`{op}`: mapping is {Op.ProtName(s!.Prot)}, expected success, got {Show(res)}");
        }
        if (res.Ok != (res.Case != FaultCase.Failed))
            Fail("result", $"`{op}`: inconsistent result {Show(res)}");
        if (res.Case == FaultCase.Hit && (res.Restarts != 0 || res.Neighbors != 0))
            Fail("result", $"`{op}`: a hit with restarts or neighbours: {Show(res)}");
        if (res.Ok && s is not null && ((res.ProtAfter & needed) != needed || (res.ProtAfter & ~s.Prot) != 0))
            Fail("result", $"`{op}`: mapping is {Op.ProtName(s.Prot)}, access needs {Op.ProtName(needed)}, " +
                           $"but the pmap says {Op.ProtName(res.ProtAfter)} after it");
        var faults = target.Counters.faults - last.faults;
        var expected = res.Case == FaultCase.Hit ? 0 : 1;
        if (faults != expected)
            Fail("counter", $"`{op}` ({Show(res)}) changed faults by {faults}, expected {expected}");
    }

    static string Show(AccessResult r) =>
        r.Ok ? $"{r.Case} value={Op.Hex(r.Value)} prot={Op.ProtName(r.ProtAfter)}" : $"{r.Error} ({r.Case})";

    void DoPagedaemon(PagedaemonOp d)
    {
        var freed = target.PageDaemon(d.Pages);
        if (freed < 0 || freed > d.Pages) Fail("result", $"`{d}` reports {freed} pages freed");
    }

    // ---- the state after a step ----

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

    void CheckCounters(Op? op)
    {
        var now = target.Counters;
        if (op is ResetCountersOp)
        {
            foreach (var name in Counters.Names)
                if (now.Get(name) != 0) Fail("counter", $"`{op}` left {name} = {now.Get(name)}");
        }
        else
        {
            foreach (var name in Counters.Names)
                if (now.Get(name) < last.Get(name))
                    Fail("counter", $"{name} went down from {last.Get(name)} to {now.Get(name)} in `{op}`");
            // Only accesses, mlock (uvm_fault_wire) and wired mmap call the fault entry point (loan does not).
            var faulting = op is ReadOp or WriteOp or MmapOp { Wired: true } || op is RangeOp { Verb: RangeVerb.Mlock };
            if (!faulting && now.faults != last.faults)
                Fail("counter", $"`{op?.ToString() ?? "setup"}` changed faults from {last.faults} to {now.faults}");
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
        var prot = s?.Prot ?? Prot.None;
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

    /// <summary>Stands in when the target could not even be created.</summary>
    sealed class NullTarget : IMachine
    {
        public static readonly NullTarget Instance = new();
        private Counters counters;
        public MachineConfig Config { get; } = new();
        public FileId CreateFile(int pages, bool resident) => default;
        public ProcId CreateProcess() => default;
        public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired) => Errno.EINVAL;
        public Errno Munmap(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) => Errno.EINVAL;
        public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) => Errno.EINVAL;
        public Errno Mlock(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Munlock(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Loan(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Unloan(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Fork(ProcId parent, out ProcId child) { child = default; return Errno.EINVAL; }
        public Errno Exit(ProcId p) => Errno.EINVAL;
        public AccessResult Read(ProcId p, ulong addr) => new(Errno.EFAULT, FaultCase.Failed, 0, 0, Prot.None, 0);
        public AccessResult Write(ProcId p, ulong addr, byte value) => new(Errno.EFAULT, FaultCase.Failed, 0, 0, Prot.None, 0);
        public Errno Pageout(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public int PageDaemon(int npages) => 0;
        public ref readonly Counters Counters => ref counters;
        public void ResetCounters() { }
        public int CountMapped(ProcId p, ulong addr, int npages) => 0;
        public int FreePages => 0;
        public Prot MappedProt(ProcId p, ulong addr) => Prot.None;
        public int CountWired(ProcId p, ulong addr, int npages) => 0;
        public int CountResident(ProcId p, ulong addr, int npages) => 0;
        public bool TryPeek(ProcId p, ulong addr, out byte value) { value = 0; return false; }
        public IReadOnlyList<string> CheckInvariants() => [];
        public bool IsAlive(ProcId p) => false;
        public ulong Fingerprint() => 0;
    }
}
