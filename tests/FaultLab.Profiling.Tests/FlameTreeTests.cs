using FaultLab.Profiling.Model;

namespace FaultLab.Profiling.Tests;

public class FlameTreeTests
{
    [Fact]
    public void Totals_include_callees_and_self_counts_only_leaves()
    {
        var root = FlameTree.Build(StackProfile.From(("m;f", 3), ("m;f;g", 2), ("m;h", 5)));

        Assert.Equal(FlameTree.RootName, root.Name);
        Assert.Equal(10, root.Total);
        var f = root.Find(["m", "f"])!;
        Assert.Equal(5, f.Total);
        Assert.Equal(3, f.Self);
        Assert.Equal(2, f.Depth);
        Assert.Equal(["m", "f"], f.Path);
        Assert.Null(root.Find(["m", "x"]));
    }

    [Fact]
    public void Children_are_in_name_order_and_the_walk_is_depth_first()
    {
        var root = FlameTree.Build(StackProfile.From(("m;z", 1), ("m;a;b", 1), ("m;a", 1)));

        Assert.Equal(["all", "m", "a", "b", "z"], root.DepthFirst().Select(n => n.Name));
    }
}
