using System.Globalization;
using System.Runtime.ExceptionServices;
using FaultLab.Core;
using static FaultLab.Workloads.Scenarios.Syntax;

namespace FaultLab.Workloads.Checking;

/// <summary>
/// What the fault paths disagreed on. <paramref name="ReferenceOutcome"/> is set when they disagreed on the result
/// of the step's operation itself: the reference path's result as a scenario outcome (the text after
/// <c>=&gt;</c>), so that the printed scenario holds on the reference path and fails on a path that differs.
/// </summary>
internal sealed record Divergence(string Message, string? ReferenceOutcome)
{
    /// <summary>The violation's kind: <c>divergence</c> between fault paths, <c>cross-family</c> between families.</summary>
    public string Kind { get; init; } = "divergence";
}

/// <summary>
/// One machine per <see cref="FaultPath"/>, driven in lock step: every call goes to each machine with the same
/// arguments, and every answer must be the same. The reference path (<see cref="FaultPath.Generic"/>) answers the
/// caller, so the oracle checks it as in an ordinary run while this target checks that the others agree with it.
/// <see cref="EndStep"/>, after each step, also compares what no call returns: counters, the invariant checker's
/// findings and <see cref="Machine.Fingerprint"/> (maps, pmaps, page contents).
/// </summary>
internal sealed class LockstepTarget : IMachine, ISteppedTarget
{
    public const FaultPath Reference = FaultPath.Generic;

    readonly FaultPath[] paths;
    readonly IMachine[] lanes;
    Divergence? divergence;
    bool invariantsCompared;

    LockstepTarget(MachineConfig config, Func<MachineConfig, IMachine> factory)
    {
        Config = config;
        paths = [Reference, .. Enum.GetValues<FaultPath>().Where(p => p != Reference)];
        lanes = Array.ConvertAll(paths, p => factory(config with { Path = p }));
    }

    /// <summary>A factory of lockstep targets: one target of <paramref name="factory"/> per fault path, whatever
    /// path the configuration names.</summary>
    public static Func<MachineConfig, IMachine> Over(Func<MachineConfig, IMachine> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return config => new LockstepTarget(config, factory);
    }

    /// <summary>Compares the machines' states after a step; returns the step's first difference (in a call's answer
    /// or in the state), if any, and forgets it.</summary>
    public Divergence? EndStep()
    {
        if (divergence is null) CompareCounters();
        if (divergence is null && !invariantsCompared) CheckInvariants();
        if (divergence is null) Each(t => t.Fingerprint(), f => "0x" + f.ToString("x16", CultureInfo.InvariantCulture), "fingerprint");
        invariantsCompared = false;
        var found = divergence;
        divergence = null;
        return found;
    }

    void CompareCounters()
    {
        var names = Family.Counters;
        for (var i = 0; i < names.Count; i++)
        {
            var index = i;
            var reference = lanes[0].Counter(index);
            if (lanes.All(l => l.Counter(index) == reference)) continue;
            Record($"counter {names[i]}", lanes.Select(l => Outcome<long>.Of(l.Counter(index))).ToArray(),
                v => v.ToString(CultureInfo.InvariantCulture), null);
            return;
        }
    }

    // ---- the lock step ----

    readonly record struct Outcome<T>(T Value, Exception? Error)
    {
        public static Outcome<T> Of(T value) => new(value, null);
    }

    /// <summary>Calls every lane, records the first disagreement, and answers as the reference lane did (its
    /// exception included).</summary>
    /// <param name="show">How a result is spelled in the divergence message.</param>
    /// <param name="what">What was asked, for the message.</param>
    /// <param name="outcome">For the step's operation: the result as a scenario outcome.</param>
    T Each<T>(Func<IMachine, T> call, Func<T, string> show, string what, Func<T, string>? outcome = null,
        IEqualityComparer<T>? comparer = null) =>
        Each(call, show, what, null, outcome, comparer);

    /// <summary>As above, for calls whose description is worth spelling only when the lanes disagree.</summary>
    T Each<T>(Func<IMachine, T> call, Func<T, string> show, Func<string> what) => Each(call, show, null, what, null, null);

    T Each<T>(Func<IMachine, T> call, Func<T, string> show, string? what, Func<string>? describe,
        Func<T, string>? outcome, IEqualityComparer<T>? comparer)
    {
        var results = new Outcome<T>[lanes.Length];
        for (var i = 0; i < lanes.Length; i++)
        {
            try
            {
                results[i] = Outcome<T>.Of(call(lanes[i]));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                results[i] = new Outcome<T>(default!, e);
            }
        }
        comparer ??= EqualityComparer<T>.Default;
        var same = true;
        for (var i = 1; i < results.Length && same; i++) same = Same(results[0], results[i], comparer);
        if (!same && divergence is null) Record(what ?? describe!(), results, show, outcome);
        if (results[0].Error is { } error) ExceptionDispatchInfo.Throw(error);
        return results[0].Value;
    }

    static bool Same<T>(Outcome<T> a, Outcome<T> b, IEqualityComparer<T> comparer) =>
        a.Error is null && b.Error is null
            ? comparer.Equals(a.Value, b.Value)
            : a.Error is not null && b.Error is not null
              && a.Error.GetType() == b.Error.GetType() && a.Error.Message == b.Error.Message;

    /// <summary>"what: generic, monomorphized: A; specialized: B" — the paths grouped by what they answered.</summary>
    void Record<T>(string what, Outcome<T>[] results, Func<T, string> show, Func<T, string>? outcome)
    {
        var shown = results.Select(r => r.Error is { } e ? $"threw {e.GetType().Name}: {e.Message}" : show(r.Value)).ToArray();
        var groups = shown.Select((text, i) => (text, path: PathName(paths[i])))
            .GroupBy(x => x.text)
            .Select(g => $"{string.Join(", ", g.Select(x => x.path))}: {g.Key}");
        var reference = results[0].Error is null && outcome is not null ? outcome(results[0].Value) : null;
        divergence = new Divergence($"{what}: {string.Join("; ", groups)}", reference);
    }

    static string PathName(FaultPath path) => path.ToString().ToLowerInvariant();

    // ---- how answers are spelled ----

    static string ShowErrno(Errno e) => e == Errno.OK ? "ok" : e.ToString();

    /// <summary>Everything an access returned, whether it applies or not.</summary>
    string ShowAccess(AccessResult r) =>
        $"{(r.Ok ? Family.OutcomeName(r.Outcome) : $"{r.Error} ({Family.OutcomeName(r.Outcome)})")}{Keys(r)} " +
        $"prot={ProtName(r.ProtAfter)} value={Byte(r.Value)}";

    /// <summary>The result as the transcript spells it (SCENARIOS.md): the keys that apply to it.</summary>
    string AccessOutcome(AccessResult r, bool isRead)
    {
        if (!r.Ok) return $"{r.Error}{Keys(r)}";
        var text = Family.OutcomeName(r.Outcome);
        if (r.Faulted) text += Keys(r);
        text += $" prot={ProtName(r.ProtAfter)}";
        return isRead ? text + $" value={Byte(r.Value)}" : text;
    }

    /// <summary>" restarts=N neighbors=N": the family's count keys.</summary>
    string Keys(AccessResult r) =>
        string.Concat(Family.Keys.Select(k => $" {k.Name}={k.Read(r).ToString(CultureInfo.InvariantCulture)}"));

    static string Hex(ulong a) => Op.Hex(a);

    sealed class SequenceComparer : IEqualityComparer<IReadOnlyList<string>>
    {
        public static readonly SequenceComparer Instance = new();
        public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.SequenceEqual(y));
        public int GetHashCode(IReadOnlyList<string> list) => list.Count;
    }

    // ---- IMachine ----

    public FileId CreateFile(int pages, bool resident) =>
        Each(t => t.CreateFile(pages, resident), f => $"file #{f.Value}", "create file");

    public ProcId CreateProcess() => Each(t => t.CreateProcess(), p => $"process #{p.Value}", "create process");

    public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired) =>
        Each(t => t.Mmap(p, addr, npages, prot, kind, file, pgoff, wired), ShowErrno, "result", ShowErrno);

    public Errno Munmap(ProcId p, ulong addr, int npages) =>
        Each(t => t.Munmap(p, addr, npages), ShowErrno, "result", ShowErrno);

    public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) =>
        Each(t => t.Mprotect(p, addr, npages, prot), ShowErrno, "result", ShowErrno);

    public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) =>
        Each(t => t.Madvise(p, addr, npages, advice), ShowErrno, "result", ShowErrno);

    public Errno Mlock(ProcId p, ulong addr, int npages) =>
        Each(t => t.Mlock(p, addr, npages), ShowErrno, "result", ShowErrno);

    public Errno Munlock(ProcId p, ulong addr, int npages) =>
        Each(t => t.Munlock(p, addr, npages), ShowErrno, "result", ShowErrno);

    public Errno Loan(ProcId p, ulong addr, int npages) =>
        Each(t => t.Loan(p, addr, npages), ShowErrno, "result", ShowErrno);

    public Errno Unloan(ProcId p, ulong addr, int npages) =>
        Each(t => t.Unloan(p, addr, npages), ShowErrno, "result", ShowErrno);

    public Errno Fork(ProcId parent, out ProcId child)
    {
        (var error, child) = Each(t => (t.Fork(parent, out var c), c),
            r => r.Item1 == Errno.OK ? $"ok (child #{r.Item2.Value})" : ShowErrno(r.Item1), "result",
            r => ShowErrno(r.Item1));
        return error;
    }

    public Errno Exit(ProcId p) => Each(t => t.Exit(p), ShowErrno, "result", ShowErrno);

    public AccessResult Read(ProcId p, ulong addr) =>
        Each(t => t.Read(p, addr), ShowAccess, "result", r => AccessOutcome(r, isRead: true));

    public AccessResult Write(ProcId p, ulong addr, byte value) =>
        Each(t => t.Write(p, addr, value), ShowAccess, "result", r => AccessOutcome(r, isRead: false));

    public Errno Pageout(ProcId p, ulong addr, int npages) =>
        Each(t => t.Pageout(p, addr, npages), ShowErrno, "result", ShowErrno);

    public int PageDaemon(int npages) =>
        Each(t => t.PageDaemon(npages), n => $"{n} pages freed", "result");

    /// <summary>The configuration it was asked for (each lane runs it on its own path).</summary>
    public MachineConfig Config { get; }

    /// <summary>The family of every lane.</summary>
    public MachineFamily Family => lanes[0].Family;

    /// <summary>The reference lane's; <see cref="EndStep"/> compares all of them.</summary>
    public long Counter(int index) => lanes[0].Counter(index);

    public int CountMapped(ProcId p, ulong addr, int npages) =>
        Each(t => t.CountMapped(p, addr, npages), n => $"{n}", () => $"mapped pages of process #{p.Value} at {Hex(addr)} +{npages}");

    public int FreePages => Each(t => t.FreePages, n => $"{n}", () => "free pages");

    public void ResetCounters()
    {
        foreach (var lane in lanes) lane.ResetCounters();
    }

    public Prot MappedProt(ProcId p, ulong addr) =>
        Each(t => t.MappedProt(p, addr), ProtName, () => $"pmap protection of process #{p.Value} at {Hex(addr)}");

    public int CountWired(ProcId p, ulong addr, int npages) =>
        Each(t => t.CountWired(p, addr, npages), n => $"{n}", () => $"wired pages of process #{p.Value} at {Hex(addr)} +{npages}");

    public int CountResident(ProcId p, ulong addr, int npages) =>
        Each(t => t.CountResident(p, addr, npages), n => $"{n}", () => $"resident pages of process #{p.Value} at {Hex(addr)} +{npages}");

    public bool TryPeek(ProcId p, ulong addr, out byte value)
    {
        (var ok, value) = Each(t => t.TryPeek(p, addr, out var v) ? (true, v) : (false, (byte)0),
            r => r.Item1 ? Byte(r.Item2) : "no value", () => $"peek of process #{p.Value} at {Hex(addr)}");
        return ok;
    }

    public IReadOnlyList<string> CheckInvariants()
    {
        invariantsCompared = true;
        return Each(t => t.CheckInvariants(),
            l => l.Count == 0 ? "none" : string.Join("; ", l.Take(3)) + (l.Count > 3 ? $" (+{l.Count - 3} more)" : ""),
            "invariant violations", comparer: SequenceComparer.Instance);
    }

    public bool IsAlive(ProcId p) => Each(t => t.IsAlive(p), b => b ? "alive" : "not alive", () => $"process #{p.Value}");

    public ulong Fingerprint() => lanes[0].Fingerprint();
}
