using FaultLab.Cli.Diff;

namespace FaultLab.Tests.Diff;

/// <summary>Normalisation of JIT listings, on listings this runtime produced (Samples/*.jit.txt).</summary>
public class JitListingTests
{
    private static string Sample(string name) =>
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "FaultLab.Tests", "Diff", "Samples", name));

    [Fact]
    public void A_listing_gives_its_method_short_name_and_code_size()
    {
        var methods = JitListing.Parse(Sample("nowire_normal_cow.UpperLookup.jit.txt"));
        var m = Assert.Single(methods);
        Assert.StartsWith("UpperLookup(FaultLab.Core.Machine,", m.Method);
        Assert.StartsWith("FaultLab.Core.UvmFault+nowire_normal_cow:UpperLookup", m.FullName);
        Assert.True(m.CodeBytes > 100);
        Assert.True(m.Lines.Count > 50);
    }

    [Fact]
    public void Normalised_lines_have_no_offsets_no_raw_labels_no_frame_offsets_and_no_addresses()
    {
        var lines = JitListing.Parse(Sample("nowire_normal_cow.UpperLookup.jit.txt")).Single().Lines;
        Assert.DoesNotContain(lines, l => l.Contains(";;") || l.Contains("offset="));
        Assert.DoesNotContain(lines, l => l.Contains("G_M"));
        Assert.DoesNotContain(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\[(rbp|rsp)[+-]0x"));
        Assert.DoesNotContain(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"0x[0-9A-Fa-f]{11,}"));
        Assert.Equal("L01:", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("call [FaultLab.Core.PmapSystem:Enter("));
    }

    [Fact]
    public void Labels_are_renumbered_in_order_of_appearance()
    {
        var labels = new Dictionary<string, int>();
        Assert.Equal("L01:", JitListing.Normalize("G_M000_IG07:                ;; offset=0x0068", labels));
        Assert.Equal("jae L02", JitListing.Normalize("       jae      G_M000_IG29", labels));
        Assert.Equal("jmp L01", JitListing.Normalize("       jmp      SHORT G_M000_IG07".Replace("SHORT ", ""), labels));
        Assert.Equal("mov dword ptr [rbp-FRAME], r8d", JitListing.Normalize("       mov      dword ptr [rbp-0x3C], r8d", labels));
        Assert.Equal("mov rsi, ADDR", JitListing.Normalize("       mov      rsi, 0x7F4A12345678", labels));
        Assert.Equal("mov rsi, 0x8000000000", JitListing.Normalize("       mov      rsi, 0x8000000000", labels)); // a real constant (VM_MAXUSER_ADDRESS), not a handle
    }

    [Fact]
    public void Calls_into_a_variant_class_read_as_calls_into_its_outer_class()
    {
        var labels = new Dictionary<string, int>();
        Assert.Equal("call [FaultLab.Core.UvmFault:FaultCheck(FaultLab.Core.Machine):byte]",
            JitListing.Normalize("       call     [FaultLab.Core.UvmFault+wired_normal_cow:FaultCheck(FaultLab.Core.Machine):byte]", labels));
        Assert.Equal("call [FaultLab.Core.UvmFault:Lower(int):byte]",
            JitListing.Normalize("       call     [FaultLab.Core.UvmFault+Monomorphized`1[FaultLab.Core.UvmFault+Config_x]:Lower(int):byte]", labels));
        Assert.Equal("call [FaultLab.Core.PhysMem:Enqueue(FaultLab.Core.PageId):this]",
            JitListing.Normalize("       call     [FaultLab.Core.PhysMem:Enqueue(FaultLab.Core.PageId):this]", labels));
    }

    [Fact]
    public void The_same_method_of_two_variants_lines_up_by_short_name()
    {
        var a = JitListing.Parse(Sample("nowire_normal_cow.UpperLookup.jit.txt")).Single();
        var b = JitListing.Parse(Sample("wired_normal_cow.UpperLookup.jit.txt")).Single();
        Assert.Equal(a.Method, b.Method);
        Assert.NotEqual(a.FullName, b.FullName);
    }
}
