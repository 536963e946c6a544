using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>
/// uvm_map keeps the entries in a red-black tree beside the list: the model's tree (EntryTree.cs) holds exactly the
/// list's entries in order as a valid red-black tree after every kind of map change, and a lookup through it finds
/// what a walk of the list finds.
/// </summary>
public class MapTreeRules
{
    private const ulong Base = 0x10000000;

    /// <summary>The list walk uvm_map_lookup_entry used to be: the entry holding va, else the one before it.</summary>
    private static (bool Found, EntryId Entry) ListLookup(Machine m, VmProc p, ulong va)
    {
        var before = EntryId.Null;
        for (var e = p.First; !e.IsNull; e = m.Entries[e.Index].Next)
        {
            ref var r = ref m.Entries[e.Index];
            if (va < r.Start)
                return (false, before);
            if (va < r.End)
                return (true, e);
            before = e;
        }
        return (false, before);
    }

    [Fact]
    public void Mmap_munmap_mprotect_clips_and_merges_keep_the_tree_equal_to_the_list()
    {
        var m = T.NewMachine(pages: 512);
        var pid = m.CreateProcess();
        var p = m.P(pid);
        var rng = new Random(1208);
        int maxEntries = 0;
        for (int step = 0; step < 6000; step++)
        {
            ulong addr = Base + (ulong)rng.Next(4096) * 4096;
            int n = rng.Next(1, 9);
            switch (rng.Next(10))
            {
                case < 5: // alternating protections keep most neighbours from merging; some do merge
                    m.Mmap(pid, addr, n, rng.Next(3) == 0 ? Prot.Read : Prot.ReadWrite, MapKind.AnonPrivate);
                    break;
                case < 7:
                    T.Ok(m.Munmap(pid, addr, n));
                    break;
                case < 9:
                    T.Ok(m.Mprotect(pid, addr, n, rng.Next(2) == 0 ? Prot.Read : Prot.ReadWrite)); // clips
                    break;
                default:
                    m.Write(pid, addr, 1); // a fault: the hint, amap copies
                    break;
            }
            maxEntries = Math.Max(maxEntries, m.Entries(pid));
            if (step % 100 == 0)
                Assert.Null(m.TreeProblem(p));
            ulong probe = Base - 0x1000 + (ulong)rng.Next(4100) * 4096;
            var list = ListLookup(m, p, probe);
            Assert.Equal(list.Found, m.LookupEntry(p, probe, out var found));
            Assert.Equal(list.Entry, found);
        }
        Assert.Null(m.TreeProblem(p));
        Assert.True(maxEntries > 300, $"the map reached {maxEntries} entries");
        T.Ok(m.Fork(pid, out var child));
        Assert.Null(m.TreeProblem(m.P(child)));
        T.Ok(m.Exit(pid));
        m.NoViolations();
    }

    [Fact]
    public void An_exited_process_leaves_an_empty_tree_for_the_next_one_in_its_record()
    {
        var m = T.NewMachine();
        var a = m.CreateProcess();
        for (int i = 0; i < 40; i++)
            T.Ok(m.Mmap(a, Base + (ulong)i * 0x2000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        T.Ok(m.Exit(a));
        var b = m.CreateProcess();

        Assert.True(m.P(b).Root.IsNull && m.P(b).First.IsNull && m.P(b).Last.IsNull);
        Assert.False(m.LookupEntry(m.P(b), Base, out _));
        m.NoViolations();
    }
}
