using FaultLab.Core;
using FaultLab.Workloads.Checking;
using Xunit.Abstractions;

namespace FaultLab.Workloads.Tests.Checking;

/// <summary>
/// The cross-family mode: the same operations on a FreeBSD and a NetBSD machine, compared on what both contracts
/// say processes observe (errnos, access success, the bytes read and peeked), not on outcomes or counters.
/// </summary>
public class CrossFamilyTests(ITestOutputHelper output)
{
    public static TheoryData<ulong> Seeds => new(Enumerable.Range(1, 8).Select(i => (ulong)i));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FreeBsd_checked_beside_NetBsd_finds_no_difference(ulong seed) =>
        Clean(new CheckerOptions
        {
            Family = MachineFamily.FreeBsd, CrossFamily = MachineFamily.NetBsd, Seed = seed, MaxRuns = 3, StepsPerRun = 250,
            Duration = TimeSpan.MaxValue,
        });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void NetBsd_checked_beside_FreeBsd_finds_no_difference(ulong seed) =>
        Clean(new CheckerOptions
        {
            Family = MachineFamily.NetBsd, CrossFamily = MachineFamily.FreeBsd, Seed = seed, MaxRuns = 3, StepsPerRun = 250,
            Duration = TimeSpan.MaxValue,
        });

    /// <summary>
    /// Found by a 480 s cross-family session: a wired private mapping with a page mprotect'd none, then fork. FreeBSD
    /// enters the child's copy with max_protection (seed 806), and a later mprotect to none leaves it (1995's
    /// vm_map_protect calls pmap_protect only for an entry whose protection changed), so the child writes where NetBSD
    /// says EFAULT: a difference of the contracts, which the target must not report as a violation.
    /// </summary>
    [Fact]
    public void A_copy_fork_entered_with_max_protection_keeps_its_rights_through_an_mprotect_that_changes_nothing() =>
        Clean(new CheckerOptions
        {
            Family = MachineFamily.NetBsd, CrossFamily = MachineFamily.FreeBsd, Path = FaultPath.Specialized,
            Seed = 17558434353592688120, MaxRuns = 1, StepsPerRun = 200, Duration = TimeSpan.MaxValue,
        });

    [Fact]
    public void Cross_family_and_the_paths_in_lockstep_together()
    {
        Clean(new CheckerOptions
        {
            Family = MachineFamily.FreeBsd, CrossFamily = MachineFamily.NetBsd, Lockstep = true, Seed = 77, MaxRuns = 4,
            StepsPerRun = 250, Duration = TimeSpan.MaxValue,
        });
    }

    [Fact]
    public void A_byte_the_other_family_reads_wrong_is_a_cross_family_violation()
    {
        // the other family: FreeBSD's vocabulary, machines whose reads found below the first object lie
        var free = MachineFamily.FreeBsd;
        var flipped = new MachineFamily("flipped", "FreeBSD with a planted chain-walk bug", free.Outcomes, free.Keys,
            free.OwnCounters, c => new ShadowReadFlipper(free.Create(c)), free.Features, free.Semantics);
        var result = ModelChecker.Run(new CheckerOptions
        {
            Family = MachineFamily.NetBsd, CrossFamily = flipped, Seed = 5, MaxRuns = 50, StepsPerRun = 200,
            Duration = TimeSpan.MaxValue,
        });

        var failure = Assert.IsType<CheckFailure>(result.Failure);
        output.WriteLine($"{failure.Violation}\n{string.Join("\n", failure.ShrunkOperations)}");
        Assert.Contains("cross-family", failure.Violation);
        Assert.Contains("netbsd read/wrote", failure.Violation);
        Assert.InRange(failure.ShrunkOperations.Count(l => l.StartsWith("p")), 1, 6);
    }

    [Fact]
    public void A_wired_mapping_only_one_family_could_wire_leaves_no_mapping_behind_on_the_other()
    {
        // FreeBSD cannot wire a read-only range (vm_fault_wire asks READ|WRITE), NetBSD can: mmap ... wired fails on
        // one side only. Were the NetBSD mapping left, a write through it would change the file for every mapping.
        var target = (CrossFamilyTarget)CrossFamilyTarget.Over(MachineFamily.FreeBsd.Create, MachineFamily.NetBsd)(new MachineConfig { Pages = 64 });
        var f = target.CreateFile(2, resident: true);
        var p = target.CreateProcess();
        Assert.Equal(Errno.ENOMEM, target.Mmap(p, 0x10000, 1, Prot.Read, MapKind.FileShared, f, 0, wired: true));
        Assert.Null(target.EndStep());
        Assert.Equal(Errno.OK, target.Mprotect(p, 0x10000, 1, Prot.ReadWrite));
        Assert.Equal(Errno.EFAULT, target.Write(p, 0x10000, 0x77).Error);
        Assert.Equal(Errno.OK, target.Mmap(p, 0x20000, 1, Prot.Read, MapKind.FileShared, f));
        Assert.Equal(0, target.Read(p, 0x20000).Value);
        Assert.True(target.TryPeek(p, 0x20000, out _));
        Assert.Null(target.EndStep());
    }

    [Fact]
    public void A_byte_read_differently_is_reported_as_a_cross_family_divergence_and_a_page_set_aside_is_not()
    {
        var free = MachineFamily.FreeBsd;
        var flipped = new MachineFamily("flipped", "FreeBSD with a planted chain-walk bug", free.Outcomes, free.Keys,
            free.OwnCounters, c => new ShadowReadFlipper(free.Create(c)), free.Features, free.Semantics);
        var target = (CrossFamilyTarget)CrossFamilyTarget.Over(MachineFamily.NetBsd.Create, flipped)(new MachineConfig { Pages = 64 });
        var f = target.CreateFile(2, resident: false);
        var p = target.CreateProcess();
        Assert.Equal(Errno.OK, target.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.FilePrivate, f));
        Assert.Null(target.EndStep());
        Assert.Equal(2, target.Read(p, 0x11001).Value); // NetBSD's answer (file page 1, byte 1); the flipped FreeBSD says 3
        var d = Assert.IsType<Divergence>(target.EndStep());
        Assert.Equal("cross-family", d.Kind);
        Assert.Contains("netbsd read/wrote 0x2; freebsd read/wrote 0x3", d.Message);

        // once a range is set aside (an mlock the families answer differently), its pages are not compared
        Assert.Equal(Errno.OK, target.Mmap(p, 0x20000, 1, Prot.Read, MapKind.FilePrivate, f));
        Assert.Equal(Errno.OK, target.Mlock(p, 0x20000, 1)); // FreeBSD: ENOMEM (no write)
        Assert.Null(target.EndStep());
        target.Read(p, 0x20000);
        Assert.Null(target.EndStep());
    }

    void Clean(CheckerOptions options)
    {
        var result = ModelChecker.Run(options);
        if (result.Failure is { } f) output.WriteLine($"seed {f.Seed}: {f.Violation}\n{string.Join("\n", f.ShrunkOperations)}");
        Assert.Null(result.Failure);
        Assert.Equal((long)options.MaxRuns!, result.Runs);
    }
}
