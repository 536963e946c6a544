using FaultLab.Core;

namespace FaultLab.Core.Tests.FreeBsd;

/// <summary>The generator specializes both families' fault paths in one compilation; the catalogs tell them apart.</summary>
public sealed class VariantCatalogTests
{
    [Fact]
    public void Each_family_has_its_own_catalog_of_axes_variants_and_sources()
    {
        Assert.Equal([FaultPathCatalog.NetBsd, FaultPathCatalog.FreeBsd], FaultPathCatalog.All);
        Assert.Same(FaultPathCatalog.FreeBsd, FaultPathCatalog.For(MachineFamily.FreeBsd));
        var c = FaultPathCatalog.FreeBsd;
        Assert.Equal(["wired", "cow", "first"], c.Axes.Select(a => a.Name));
        Assert.Equal(["default", "swap", "vnode"], c.Axes[2].ValueNames);
        Assert.Equal(12, c.Variants.Count);
        Assert.Equal(12, c.Configurations.Count);
        Assert.Equal("nowire+nocow+default", c.Variants[0].Name);
        Assert.Equal("wired+cow+vnode", c.Variants[^1].Name);
        Assert.Equal(ObjType.Vnode, c.Find("nowire+cow+vnode")!.ValueOf("first"));
        Assert.True(c.Find("wired+cow+swap")!.Wired);
        Assert.Null(c.Find("nowire+normal+cow")); // a NetBSD variant
        Assert.Equal(typeof(FreeBsdFault), c.TypeOf("generic"));
        Assert.Equal("wired_cow_vnode", c.TypeOf("wired+cow+vnode")!.Name);
        foreach (var path in c.PathNames)
        {
            var methods = c.SourcesOf(path)!;
            Assert.Contains(methods, s => s.Method == "FaultPass");
        }
        // the NetBSD facade is unchanged: FaultVariants and FaultSources are its catalog's
        Assert.Equal(FaultPathCatalog.NetBsd.PathNames, FaultSources.PathNames);
        Assert.Equal(["wired", "advice", "cow"], FaultVariants.Axes.Select(a => a.Name));
    }

    [Fact]
    public void A_variant_folds_its_axes_away()
    {
        var generic = string.Join("\n", FaultPathCatalog.FreeBsd.SourcesOf("generic")!.Select(s => s.Text));
        var wired = string.Join("\n", FaultPathCatalog.FreeBsd.SourcesOf("wired+nocow+vnode")!.Select(s => s.Text));
        Assert.Contains("FbsdSpec.Wired(", generic);
        Assert.DoesNotContain("FbsdSpec.", wired);
        Assert.Contains("fs.FaultType = fs.Prot;", wired); // if (wired) fault_type = prot, unconditionally
        Assert.DoesNotContain("if (FbsdSpec.Wired(fs.Wired))", wired);
    }
}
