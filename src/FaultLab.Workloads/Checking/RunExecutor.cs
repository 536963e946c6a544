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
internal sealed partial class RunExecutor
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
    long[] last = [];
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
            exec.last = Counters(exec.target);
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
        if (target is not ISteppedTarget lockstep) return;
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
            Violation = new Violation(found.Kind, step, $"{what}: {found.Message}") { ReferenceOutcome = found.ReferenceOutcome };
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
                last = new long[last.Length];
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
}
