namespace FaultLab.Profiling.Model;

/// <summary>A frame in the merged call tree: one node per distinct path from the root.</summary>
public sealed class FlameNode
{
    private readonly SortedDictionary<string, FlameNode> children = new(StringComparer.Ordinal);

    internal FlameNode(string name, FlameNode? parent)
    {
        Name = name;
        Parent = parent;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    public string Name { get; }
    public FlameNode? Parent { get; }

    /// <summary>0 for the root ("all"), 1 for the outermost real frames.</summary>
    public int Depth { get; }

    /// <summary>Samples in this frame and everything it called.</summary>
    public long Total { get; private set; }

    /// <summary>Samples whose leaf is this frame.</summary>
    public long Self { get; private set; }

    /// <summary>Callees in name order (ordinal), as flame graphs draw them left to right.</summary>
    public IEnumerable<FlameNode> Children => children.Values;

    /// <summary>The frames from the outermost real frame to this one (empty for the root).</summary>
    public IReadOnlyList<string> Path
    {
        get
        {
            var path = new List<string>();
            for (var node = this; node.Parent is not null; node = node.Parent)
            {
                path.Add(node.Name);
            }
            path.Reverse();
            return path;
        }
    }

    internal FlameNode Child(string name)
    {
        if (!children.TryGetValue(name, out var child))
        {
            child = new FlameNode(name, this);
            children.Add(name, child);
        }
        return child;
    }

    internal void Add(long count, bool leaf)
    {
        Total += count;
        if (leaf)
        {
            Self += count;
        }
    }

    /// <summary>This node and all below it, depth first, children in name order.</summary>
    public IEnumerable<FlameNode> DepthFirst()
    {
        var stack = new Stack<FlameNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            foreach (var child in node.children.Values.Reverse())
            {
                stack.Push(child);
            }
        }
    }

    /// <summary>The node at <paramref name="path"/> below this one, or null.</summary>
    public FlameNode? Find(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var name in path)
        {
            if (!node.children.TryGetValue(name, out node))
            {
                return null;
            }
        }
        return node;
    }
}

/// <summary>The call tree of a profile, rooted at a synthetic "all" frame that holds every sample.</summary>
public static class FlameTree
{
    public const string RootName = "all";

    public static FlameNode Build(StackProfile profile)
    {
        var root = new FlameNode(RootName, null);
        foreach (var stack in profile.Stacks)
        {
            var node = root;
            node.Add(stack.Count, leaf: false);
            for (var i = 0; i < stack.Frames.Length; i++)
            {
                node = node.Child(stack.Frames[i]);
                node.Add(stack.Count, leaf: i == stack.Frames.Length - 1);
            }
        }
        return root;
    }
}
