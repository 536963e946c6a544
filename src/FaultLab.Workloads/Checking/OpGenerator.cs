using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

/// <summary>
/// Draws a run: a small machine under memory pressure, and operations chosen one at a time from the state the
/// run has reached (so that most accesses land near mappings, forks are followed by writes, and so on).
/// </summary>
internal sealed class OpGenerator
{
    const int MaxLiveProcesses = 6;
    const ulong PageSize = PageImage.PageSize;

    readonly Prng rng;
    readonly RunSetup setup;
    readonly FamilyFeatures features;
    int procCount;
    string? recent;                 // the process that acted or was born last
    ulong recentVpn = RunExecutor.WindowFirstVpn;

    /// <param name="features">The family's: operations it lacks are never drawn (the draws of the others do not
    /// change, so a family with every feature gets the same runs).</param>
    public OpGenerator(Prng rng, RunSetup setup, FamilyFeatures features = FamilyFeatures.All)
    {
        this.rng = rng;
        this.setup = setup;
        this.features = features;
        procCount = setup.Procs.Count;
    }

    /// <summary>The machine, files and first processes of a run.</summary>
    public static RunSetup MakeSetup(Prng rng, FamilyFeatures features = FamilyFeatures.All)
    {
        var pages = rng.Between(48, 256);
        var swap = rng.Next(10) switch
        {
            < 7 => rng.Between(pages, 2 * pages),
            < 9 => rng.Between(4, 24),
            _ => 0,
        };
        var nprocs = rng.Between(1, 3);
        // A pmap takes a root page-table page, and a leaf for each 2 MiB it maps (the window spans two):
        // with few of them, forks and pmap_enter run out.
        var ptp = rng.Chance(20) ? rng.Between(nprocs + 2, 12) : RunSetup.DefaultPageTablePages;
        var files = new List<FileSpec>();
        var resident = 0;
        var nfiles = rng.Between(1, 3);
        for (var i = 1; i <= nfiles; i++)
        {
            var size = rng.Between(2, Math.Min(24, pages / 4));
            var res = rng.Chance(50) && resident + size <= pages / 3;
            if (res) resident += size;
            files.Add(new FileSpec($"f{i}", size, res));
        }
        var procs = Enumerable.Range(1, nprocs).Select(i => $"p{i}").ToList();
        if ((features & FamilyFeatures.Files) == 0) files.Clear();
        return new RunSetup(pages, swap, ptp, files, procs);
    }

    public Op Next(RunExecutor exec)
    {
        var oracle = exec.Oracle;
        var live = oracle.Processes;
        if (live.Count == 0) return new PagedaemonOp(rng.Between(1, 32));
        var p = recent is not null && rng.Chance(35) ? oracle.Find(recent) ?? rng.Pick(live) : rng.Pick(live);
        recent = p.Name;

        var few = p.Slots.Count < 4;
        var wiredPages = 0;
        foreach (var q in live)
            foreach (var s in q.Slots.Values)
                if (s.Wired) wiredPages++;
        var wiring = Has(FamilyFeatures.Wiring);
        var loans = Has(FamilyFeatures.Loans);
        var canWire = wiring && wiredPages < setup.Pages / 4;
        var canLoan = loans && exec.LoanedPages < setup.Pages / 8;
        Span<int> weights =
        [
            24,                                  // read
            24,                                  // write
            few ? 30 : 8,                        // mmap
            4,                                   // munmap
            5,                                   // mprotect
            2,                                   // madvise
            canWire ? 3 : 0,                     // mlock
            wiring ? 3 : 0,                      // munlock
            canLoan ? 2 : 0,                     // loan
            loans ? 2 : 0,                       // unloan
            live.Count < MaxLiveProcesses ? 4 : 0, // fork
            live.Count > 1 ? 2 : 0,              // exit
            Has(FamilyFeatures.Pageout) ? 5 : 0, // pageout
            3,                                   // pagedaemon
            1,                                   // reset counters
        ];
        var total = 0;
        foreach (var w in weights) total += w;
        var roll = rng.Next(total);
        var choice = 0;
        while (roll >= weights[choice]) roll -= weights[choice++];

        return choice switch
        {
            0 => new ReadOp(p.Name, AccessAddress(p)),
            1 => new WriteOp(p.Name, AccessAddress(p, write: true), rng.Chance(90) ? (byte)rng.Between(1, 255) : (byte)0),
            2 => Mmap(p, canWire),
            3 => Range(p, RangeVerb.Munmap),
            4 => Ranged(p, (a, n) => new MprotectOp(p.Name, a, n, RandomProt())),
            5 => Ranged(p, (a, n) => new MadviseOp(p.Name, a, n, (Advice)rng.Next(3))),
            6 => Range(p, RangeVerb.Mlock),
            7 => Munlock(p),
            8 => Range(p, RangeVerb.Loan),
            9 => Unloan(p, exec),
            10 => Fork(p),
            11 => new ExitOp(p.Name),
            12 => Range(p, RangeVerb.Pageout),
            13 => new PagedaemonOp(rng.Between(1, 32)),
            _ => new ResetCountersOp(),
        };
    }

    bool Has(FamilyFeatures feature) => (features & feature) == feature;

    Op Fork(OracleProcess p)
    {
        var child = $"p{++procCount}";
        recent = rng.Chance(50) ? child : p.Name;   // then write as the child or the parent
        return new ForkOp(p.Name, child);
    }

    Prot RandomProt() => rng.Next(20) switch
    {
        < 3 => Prot.None,
        < 8 => Prot.Read,
        _ => Prot.ReadWrite,
    };

    /// <summary>Mostly a run of pages this process has wired, else any range.</summary>
    Op Munlock(OracleProcess p)
    {
        var wired = p.Slots.Where(kv => kv.Value.Wired).Select(kv => kv.Key).ToList();
        if (wired.Count == 0 || rng.Chance(25)) return Range(p, RangeVerb.Munlock);
        var vpn = rng.Pick(wired);
        var n = 1;
        while (rng.Chance(70) && p.Slots.TryGetValue(vpn + (ulong)n, out var s) && s.Wired) n++;
        recentVpn = vpn;
        return new RangeOp(p.Name, RangeVerb.Munlock, vpn * PageSize, n);
    }

    /// <summary>Mostly a loan this process has made (whole, or its first page), else any range.</summary>
    Op Unloan(OracleProcess p, RunExecutor exec)
    {
        var mine = exec.Loans.Where(l => l.P == p.Name).ToList();
        if (mine.Count == 0 || rng.Chance(20)) return Range(p, RangeVerb.Unloan);
        var loan = rng.Pick(mine);
        return loan with { Verb = RangeVerb.Unloan, Pages = rng.Chance(75) ? loan.Pages : 1 };
    }

    /// <summary>A page of a mapping of the process most of the time, else anywhere in (or just beside) the window.</summary>
    ulong AccessVpn(OracleProcess p)
    {
        if (p.Slots.Count > 0 && rng.Chance(30) && p.Slots.ContainsKey(recentVpn)) return recentVpn;
        if (p.Slots.Count > 0 && rng.Chance(80)) return p.Slots.Keys.ElementAt(rng.Next(p.Slots.Count));
        return RunExecutor.WindowFirstVpn - 2 + (ulong)rng.Next(RunExecutor.WindowPages + 4);
    }

    ulong AccessAddress(OracleProcess p, bool write = false)
    {
        recentVpn = AccessVpn(p);
        if (write && p.Slots.TryGetValue(recentVpn, out var s) && s.Prot != Prot.ReadWrite && rng.Chance(60))
        {
            var writable = p.Slots.Where(kv => kv.Value.Prot == Prot.ReadWrite).Select(kv => kv.Key).ToList();
            if (writable.Count > 0) recentVpn = rng.Pick(writable);
        }
        var offset = rng.Chance(80) ? rng.Pick(RunExecutor.HotOffsets) : rng.Next((int)PageSize);
        return recentVpn * PageSize + (ulong)offset;
    }

    /// <summary>A range: usually starting at or just before a mapped page, sometimes one whole run of mapped pages.</summary>
    (ulong Addr, int Pages) RandomRange(OracleProcess p)
    {
        ulong vpn;
        int n;
        if (p.Slots.Count > 0 && rng.Chance(75))
        {
            vpn = p.Slots.Keys.ElementAt(rng.Next(p.Slots.Count));
            if (rng.Chance(25))
            {
                while (p.Slots.ContainsKey(vpn - 1)) vpn--;
                n = 1;
                while (p.Slots.ContainsKey(vpn + (ulong)n)) n++;
            }
            else
            {
                vpn -= (ulong)Math.Min(rng.Next(3), (int)(vpn - RunExecutor.WindowFirstVpn + 1));
                n = rng.Between(1, 6);
            }
        }
        else
        {
            vpn = RunExecutor.WindowFirstVpn + (ulong)rng.Next(RunExecutor.WindowPages);
            n = rng.Between(1, 8);
        }
        recentVpn = vpn;
        var addr = vpn * PageSize;
        return rng.Next(100) switch
        {
            0 => (addr + 0x800, n),         // unaligned: EINVAL
            1 => (addr, 0),                 // empty: EINVAL
            _ => (addr, n),
        };
    }

    Op Range(OracleProcess p, RangeVerb verb)
    {
        var (addr, n) = RandomRange(p);
        return new RangeOp(p.Name, verb, addr, n);
    }

    Op Ranged(OracleProcess p, Func<ulong, int, Op> make)
    {
        var (addr, n) = RandomRange(p);
        return make(addr, n);
    }

    Op Mmap(OracleProcess p, bool canWire)
    {
        var n = rng.Chance(90) ? rng.Between(1, 8) : rng.Between(9, 16);
        ulong vpn;
        Slot? like = null; // the page the new mapping continues or precedes, when it is made to match it (merging)
        var likeBefore = false; // whether that page is just before the new mapping (else just after it)
        if (p.Slots.Count > 0 && rng.Chance(50))
        {
            // Right after (or just before) an existing mapping: neighbours, clipping and overlaps.
            // (Mostly just past the end, or just before the start, of a run of mapped pages.)
            var at = p.Slots.Keys.ElementAt(rng.Next(p.Slots.Count));
            if (rng.Chance(70))
            {
                vpn = at + 1;
                while (rng.Chance(85) && p.Slots.ContainsKey(vpn)) vpn++;
                if (p.Slots.TryGetValue(vpn - 1, out var before) && rng.Chance(40)) (like, likeBefore) = (before, true);
            }
            else
            {
                while (rng.Chance(85) && p.Slots.ContainsKey(at - 1)) at--;
                vpn = at - (ulong)Math.Min(n, (int)(at - RunExecutor.WindowFirstVpn));
                if (p.Slots.TryGetValue(vpn + (ulong)n, out var after) && rng.Chance(40)) like = after;
            }
        }
        else
        {
            vpn = RunExecutor.WindowFirstVpn + (ulong)rng.Next(RunExecutor.WindowPages);
        }
        var end = RunExecutor.WindowFirstVpn + RunExecutor.WindowPages;
        if (vpn + (ulong)n > end) n = Math.Max(1, (int)(end - vpn));
        var kind = (MapKind)rng.Next(4);
        if (setup.Files.Count == 0) // anonymous memory only
            kind = kind switch { MapKind.FilePrivate => MapKind.AnonPrivate, MapKind.FileShared => MapKind.AnonShared, _ => kind };
        string? file = null;
        long pgoff = 0;
        if (kind is MapKind.FilePrivate or MapKind.FileShared)
        {
            var f = rng.Pick(setup.Files);
            file = f.Name;
            n = Math.Min(n, f.Pages);
            pgoff = rng.Next(f.Pages - n + 1);
        }
        var prot = RandomProt();
        if (like is not null)
        {
            // Same kind, protection and file at the contiguous offset: what uvm_map_enter may merge.
            kind = like.Kind;
            prot = like.Prot;
            file = like.File?.Name;
            if (like.File is { } lf)
            {
                var start = like.FilePage + (likeBefore ? 1 : -n);
                if (start >= 0 && start + n <= lf.Pages.Length) pgoff = start;
                else (kind, file, pgoff) = (MapKind.AnonPrivate, null, 0);
            }
        }
        var wired = canWire && prot != Prot.None && rng.Chance(8);
        recentVpn = vpn;
        var addr = vpn * PageSize;
        return rng.Next(100) switch
        {
            0 => new MmapOp(p.Name, addr + 0x800, n, prot, kind, file, pgoff, wired),
            1 => new MmapOp(p.Name, addr, 0, prot, kind, file, pgoff, wired),
            _ => new MmapOp(p.Name, addr, n, prot, kind, file, pgoff, wired),
        };
    }
}
