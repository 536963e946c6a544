using FaultLab.Core;

namespace FaultLab.Workloads.BuiltIn;

/// <summary>Resident anons unmapped and faulted again: the center-page 1A path (random advice: no neighbours).</summary>
public sealed class SoftRefault : Workload
{
    private const int N = 256;
    private ProcId p;

    public override string Name => "soft-refault";
    public override string Description => "resident anons unmapped and read again: case 1A, the center-page path";

    protected override void Prepare(IMachine m)
    {
        p = m.CreateProcess();
        Check(m.Mmap(p, Base, N, Prot.ReadWrite, MapKind.AnonPrivate), "mmap");
        for (int i = 0; i < N; i++)
            Check(m.Write(p, Page(i), 1), "populate");
        Advise(m, p, Base, N, Advice.Random);
    }

    public override void RunBatch()
    {
        var m = Machine;
        m.Mprotect(p, Base, N, Prot.None); // drops the mappings; the anons stay resident
        m.Mprotect(p, Base, N, Prot.ReadWrite);
        for (int i = 0; i < N; i++)
            Check(m.Read(p, Page(i)), Name);
    }
}

/// <summary>First touch of private anonymous memory: case 2B zero fill.</summary>
public sealed class AnonZfod : Workload
{
    private const int N = 256;
    private ProcId p;

    public override string Name => "anon-zfod";
    public override string Description => "first writes to fresh private anonymous memory: case 2B zero fill";
    public override DataFloor Floor => DataFloor.ZeroPage;

    protected override void Prepare(IMachine m)
    {
        p = m.CreateProcess();
        Check(m.Mmap(p, Base, N, Prot.ReadWrite, MapKind.AnonPrivate), "mmap");
    }

    public override void RunBatch()
    {
        var m = Machine;
        m.Munmap(p, Base, N);
        m.Mmap(p, Base, N, Prot.ReadWrite, MapKind.AnonPrivate);
        for (int i = 0; i < N; i++)
            Check(m.Write(p, Page(i), 1), Name);
    }
}

/// <summary>A child writes the anons it shares with its parent: case 1B copy-on-write.</summary>
public sealed class ForkCow : Workload
{
    private const int N = 256;
    private ProcId parent;

    public override string Name => "fork-cow";
    public override string Description => "a forked child writes every shared anon: case 1B copy-on-write";
    public override DataFloor Floor => DataFloor.CopyPage;

    protected override void Prepare(IMachine m)
    {
        parent = m.CreateProcess();
        Check(m.Mmap(parent, Base, N, Prot.ReadWrite, MapKind.AnonPrivate), "mmap");
        for (int i = 0; i < N; i++)
            Check(m.Write(parent, Page(i), (byte)i), "populate");
    }

    public override void RunBatch()
    {
        var m = Machine;
        Check(m.Fork(parent, out var child), "fork");
        for (int i = 0; i < N; i++)
            Check(m.Write(child, Page(i), 2), Name);
        m.Exit(child);
    }
}

/// <summary>Reads of a resident file: case 2A with the normal window's neighbours (3 back, 4 ahead).</summary>
public class FileRead : Workload
{
    private const int N = 256;
    private ProcId p;

    public override string Name => "file-read";
    public override string Description => "reads of a resident shared file: case 2A, normal advice (3 back, 4 ahead)";

    /// <summary>The advice the mapping gets.</summary>
    protected virtual Advice Advice => Advice.Normal;

    protected override void Prepare(IMachine m)
    {
        var f = m.CreateFile(N, resident: true);
        p = m.CreateProcess();
        Check(m.Mmap(p, Base, N, Prot.Read, MapKind.FileShared, f), "mmap");
        Advise(m, p, Base, N, Advice);
    }

    public override void RunBatch()
    {
        var m = Machine;
        m.Mprotect(p, Base, N, Prot.None);
        m.Mprotect(p, Base, N, Prot.Read);
        for (int i = 0; i < N; i++)
            Check(m.Read(p, Page(i)), Name);
    }
}

/// <summary>Sequential reads with MADV_SEQUENTIAL: case 2A, 7 pages ahead, back pages deactivated.</summary>
public sealed class FileSeq : FileRead
{
    public override string Name => "file-seq";
    public override string Description => "sequential reads of a resident file with MADV_SEQUENTIAL: case 2A, 7 ahead";
    protected override Advice Advice => Advice.Sequential;
}

/// <summary>First writes to a private file mapping: case 2B copy of the file page.</summary>
public sealed class FileCow : Workload
{
    private const int N = 256;
    private ProcId p;
    private FileId f;

    public override string Name => "file-cow";
    public override string Description => "first writes to a private mapping of a resident file: case 2B copy";
    public override DataFloor Floor => DataFloor.CopyPage;

    protected override void Prepare(IMachine m)
    {
        f = m.CreateFile(N, resident: true);
        p = m.CreateProcess();
        Check(m.Mmap(p, Base, N, Prot.ReadWrite, MapKind.FilePrivate, f), "mmap");
    }

    public override void RunBatch()
    {
        var m = Machine;
        m.Munmap(p, Base, N);
        m.Mmap(p, Base, N, Prot.ReadWrite, MapKind.FilePrivate, f);
        for (int i = 0; i < N; i++)
            Check(m.Write(p, Page(i), 3), Name);
    }
}

/// <summary>mlock / munlock cycles over resident anons: wiring faults (narrow, case 1A, pages wired).</summary>
public sealed class Wire : Workload
{
    private const int N = 64;
    private ProcId p;

    public override string Name => "wire";
    public override string Description => "mlock/munlock cycles over resident anons: narrow wiring faults (1A)";

    protected override void Prepare(IMachine m)
    {
        p = m.CreateProcess();
        Check(m.Mmap(p, Base, N, Prot.ReadWrite, MapKind.AnonPrivate), "mmap");
        for (int i = 0; i < N; i++)
            Check(m.Write(p, Page(i), 1), "populate");
    }

    public override void RunBatch()
    {
        var m = Machine;
        Check(m.Mlock(p, Base, N), "mlock");
        Check(m.Munlock(p, Base, N), "munlock");
    }
}

/// <summary>A seeded random mix of accesses over regions of every kind of mapping and advice.</summary>
public sealed class Mixed : Workload
{
    private const int Accesses = 512;
    private ProcId p;
    private readonly (ulong Va, bool Write)[] plan = new (ulong, bool)[Accesses];
    private readonly (ulong Start, int Pages, Prot Prot)[] regions =
    [
        (Base, 128, Prot.ReadWrite),             // private anon, normal advice
        (Base + 128 * PageSize, 128, Prot.Read),      // shared file, sequential
        (Base + 256 * PageSize, 128, Prot.ReadWrite), // private file, random
        (Base + 384 * PageSize, 64, Prot.ReadWrite),  // shared anon, normal
    ];

    public Mixed(ulong seed = 1) => Seed = seed;

    public ulong Seed { get; }
    public override string Name => "mixed";
    public override string Description => "a seeded random mix of reads and writes over anon/file, private/shared, normal/sequential/random regions";

    protected override void Prepare(IMachine m)
    {
        var f1 = m.CreateFile(128, resident: true);
        var f2 = m.CreateFile(128, resident: true);
        p = m.CreateProcess();
        Check(m.Mmap(p, regions[0].Start, 128, Prot.ReadWrite, MapKind.AnonPrivate), "mmap");
        Check(m.Mmap(p, regions[1].Start, 128, Prot.Read, MapKind.FileShared, f1), "mmap");
        Advise(m, p, regions[1].Start, 128, Advice.Sequential);
        Check(m.Mmap(p, regions[2].Start, 128, Prot.ReadWrite, MapKind.FilePrivate, f2), "mmap");
        Advise(m, p, regions[2].Start, 128, Advice.Random);
        Check(m.Mmap(p, regions[3].Start, 64, Prot.ReadWrite, MapKind.AnonShared), "mmap");
        var rng = new Checking.Prng(Seed);
        for (int i = 0; i < Accesses; i++)
        {
            var r = regions[rng.Next(regions.Length)];
            bool write = r.Prot == Prot.ReadWrite && rng.Chance(40);
            plan[i] = (r.Start + (ulong)rng.Next(r.Pages) * PageSize, write);
        }
    }

    public override void RunBatch()
    {
        var m = Machine;
        foreach (var r in regions)
        {
            m.Mprotect(p, r.Start, r.Pages, Prot.None);
            m.Mprotect(p, r.Start, r.Pages, r.Prot);
        }
        foreach (var (va, write) in plan)
            Check(write ? m.Write(p, va, 7) : m.Read(p, va), Name);
    }
}
