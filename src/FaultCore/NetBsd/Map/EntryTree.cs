namespace FaultLab.Core;

/// <summary>
/// The map's entries in a red-black tree keyed by start address, beside the sorted list, as NetBSD's uvm_map keeps
/// them (rb_tree of vm_map_entry): uvm_map_lookup_entry descends it in O(log n) instead of walking the list, and
/// mmap, munmap and mprotect find their place the same way. The tree is intrusive (Left/Right/Parent/Red in
/// <see cref="VmMapEntry"/>, by index, so a growing pool moves nothing) and never allocates. The list stays the
/// order every walk over neighbours uses; <see cref="InvariantChecker"/> checks the two agree.
/// </summary>
public sealed partial class Machine
{
    /// <summary>The entry holding va (true), else the last entry starting before va, or NULL (false).</summary>
    private bool TreeLookup(VmProc p, ulong va, out EntryId entry)
    {
        entry = EntryId.Null;
        var node = p.Root;
        while (!node.IsNull)
        {
            ref var r = ref Entries[node.Index];
            if (va < r.Start)
            {
                node = r.Left;
                continue;
            }
            entry = node;
            if (va < r.End)
                return true;
            node = r.Right;
        }
        return false;
    }

    /// <summary>Inserts a new entry (not in the tree yet) by its start address.</summary>
    private void TreeInsert(VmProc p, EntryId e)
    {
        ulong key = Entries[e.Index].Start;
        var parent = EntryId.Null;
        var node = p.Root;
        bool left = false;
        while (!node.IsNull)
        {
            parent = node;
            left = key < Entries[node.Index].Start;
            node = left ? Entries[node.Index].Left : Entries[node.Index].Right;
        }
        ref var r = ref Entries[e.Index];
        r.Parent = parent;
        r.Left = r.Right = EntryId.Null;
        r.Red = true;
        if (parent.IsNull)
            p.Root = e;
        else if (left)
            Entries[parent.Index].Left = e;
        else
            Entries[parent.Index].Right = e;
        InsertFixup(p, e);
    }

    private void InsertFixup(VmProc p, EntryId x)
    {
        while (x != p.Root && IsRed(ParentOf(x)))
        {
            var parent = ParentOf(x);
            var grand = ParentOf(parent);
            if (parent == Entries[grand.Index].Left)
            {
                var uncle = Entries[grand.Index].Right;
                if (IsRed(uncle))
                {
                    SetRed(parent, false);
                    SetRed(uncle, false);
                    SetRed(grand, true);
                    x = grand;
                    continue;
                }
                if (x == Entries[parent.Index].Right)
                {
                    x = parent;
                    RotateLeft(p, x);
                    parent = ParentOf(x);
                }
                SetRed(parent, false);
                SetRed(grand, true);
                RotateRight(p, grand);
            }
            else
            {
                var uncle = Entries[grand.Index].Left;
                if (IsRed(uncle))
                {
                    SetRed(parent, false);
                    SetRed(uncle, false);
                    SetRed(grand, true);
                    x = grand;
                    continue;
                }
                if (x == Entries[parent.Index].Left)
                {
                    x = parent;
                    RotateRight(p, x);
                    parent = ParentOf(x);
                }
                SetRed(parent, false);
                SetRed(grand, true);
                RotateLeft(p, grand);
            }
        }
        SetRed(p.Root, false);
    }

    /// <summary>Removes an entry from the tree (CLRS RB-DELETE, with the parent of a NULL child tracked).</summary>
    private void TreeRemove(VmProc p, EntryId z)
    {
        var y = z;
        bool removedRed = Entries[y.Index].Red;
        EntryId x, xParent;
        if (Entries[z.Index].Left.IsNull)
        {
            x = Entries[z.Index].Right;
            xParent = Entries[z.Index].Parent;
            Transplant(p, z, x);
        }
        else if (Entries[z.Index].Right.IsNull)
        {
            x = Entries[z.Index].Left;
            xParent = Entries[z.Index].Parent;
            Transplant(p, z, x);
        }
        else
        {
            y = Entries[z.Index].Right;
            while (!Entries[y.Index].Left.IsNull)
                y = Entries[y.Index].Left;
            removedRed = Entries[y.Index].Red;
            x = Entries[y.Index].Right;
            if (Entries[y.Index].Parent == z)
            {
                xParent = y;
            }
            else
            {
                xParent = Entries[y.Index].Parent;
                Transplant(p, y, x);
                Entries[y.Index].Right = Entries[z.Index].Right;
                Entries[Entries[y.Index].Right.Index].Parent = y;
            }
            Transplant(p, z, y);
            Entries[y.Index].Left = Entries[z.Index].Left;
            Entries[Entries[y.Index].Left.Index].Parent = y;
            Entries[y.Index].Red = Entries[z.Index].Red;
        }
        ref var gone = ref Entries[z.Index];
        gone.Left = gone.Right = gone.Parent = EntryId.Null;
        if (!removedRed)
            DeleteFixup(p, x, xParent);
    }

    private void DeleteFixup(VmProc p, EntryId x, EntryId parent)
    {
        while (x != p.Root && !IsRed(x))
        {
            if (x == Entries[parent.Index].Left)
            {
                var w = Entries[parent.Index].Right;
                if (IsRed(w))
                {
                    SetRed(w, false);
                    SetRed(parent, true);
                    RotateLeft(p, parent);
                    w = Entries[parent.Index].Right;
                }
                if (!IsRed(Entries[w.Index].Left) && !IsRed(Entries[w.Index].Right))
                {
                    SetRed(w, true);
                    x = parent;
                    parent = ParentOf(x);
                    continue;
                }
                if (!IsRed(Entries[w.Index].Right))
                {
                    SetRed(Entries[w.Index].Left, false);
                    SetRed(w, true);
                    RotateRight(p, w);
                    w = Entries[parent.Index].Right;
                }
                SetRed(w, Entries[parent.Index].Red);
                SetRed(parent, false);
                SetRed(Entries[w.Index].Right, false);
                RotateLeft(p, parent);
            }
            else
            {
                var w = Entries[parent.Index].Left;
                if (IsRed(w))
                {
                    SetRed(w, false);
                    SetRed(parent, true);
                    RotateRight(p, parent);
                    w = Entries[parent.Index].Left;
                }
                if (!IsRed(Entries[w.Index].Right) && !IsRed(Entries[w.Index].Left))
                {
                    SetRed(w, true);
                    x = parent;
                    parent = ParentOf(x);
                    continue;
                }
                if (!IsRed(Entries[w.Index].Left))
                {
                    SetRed(Entries[w.Index].Right, false);
                    SetRed(w, true);
                    RotateLeft(p, w);
                    w = Entries[parent.Index].Left;
                }
                SetRed(w, Entries[parent.Index].Red);
                SetRed(parent, false);
                SetRed(Entries[w.Index].Left, false);
                RotateRight(p, parent);
            }
            x = p.Root;
        }
        SetRed(x, false);
    }

    private void Transplant(VmProc p, EntryId u, EntryId v)
    {
        var up = Entries[u.Index].Parent;
        if (up.IsNull)
            p.Root = v;
        else if (u == Entries[up.Index].Left)
            Entries[up.Index].Left = v;
        else
            Entries[up.Index].Right = v;
        if (!v.IsNull)
            Entries[v.Index].Parent = up;
    }

    private void RotateLeft(VmProc p, EntryId x)
    {
        var y = Entries[x.Index].Right;
        var b = Entries[y.Index].Left;
        Entries[x.Index].Right = b;
        if (!b.IsNull)
            Entries[b.Index].Parent = x;
        Transplant(p, x, y);
        Entries[y.Index].Left = x;
        Entries[x.Index].Parent = y;
    }

    private void RotateRight(VmProc p, EntryId x)
    {
        var y = Entries[x.Index].Left;
        var b = Entries[y.Index].Right;
        Entries[x.Index].Left = b;
        if (!b.IsNull)
            Entries[b.Index].Parent = x;
        Transplant(p, x, y);
        Entries[y.Index].Right = x;
        Entries[x.Index].Parent = y;
    }

    private EntryId ParentOf(EntryId e) => e.IsNull ? EntryId.Null : Entries[e.Index].Parent;
    private bool IsRed(EntryId e) => !e.IsNull && Entries[e.Index].Red;

    private void SetRed(EntryId e, bool red)
    {
        if (!e.IsNull)
            Entries[e.Index].Red = red;
    }

    /// <summary>Why the map's tree does not hold exactly its list's entries, in order, as a red-black tree; or null.</summary>
    internal string? TreeProblem(VmProc p)
    {
        var inOrder = new List<EntryId>();
        string? problem = null;
        int BlackHeight(EntryId n, EntryId parent, ulong min, ulong max)
        {
            if (n.IsNull)
                return 1;
            ref var r = ref Entries[n.Index];
            if (r.Parent != parent)
                problem ??= $"entry {n.Index}: parent {r.Parent.Index}, expected {parent.Index}";
            if (r.Start < min || r.Start >= max)
                problem ??= $"entry {n.Index} at 0x{r.Start:x} out of order in the tree";
            if (r.Red && (IsRed(r.Left) || IsRed(r.Right)))
                problem ??= $"red entry {n.Index} has a red child";
            int left = BlackHeight(r.Left, n, min, r.Start);
            inOrder.Add(n);
            int right = BlackHeight(Entries[n.Index].Right, n, Entries[n.Index].Start + 1, max);
            if (left != right)
                problem ??= $"entry {n.Index}: black heights {left} and {right}";
            return left + (Entries[n.Index].Red ? 0 : 1);
        }
        if (IsRed(p.Root))
            problem = "the root is red";
        BlackHeight(p.Root, EntryId.Null, 0, ulong.MaxValue);
        int i = 0;
        var last = EntryId.Null;
        for (var e = p.First; !e.IsNull; e = Entries[e.Index].Next, i++)
        {
            if (i >= inOrder.Count || inOrder[i] != e)
                return problem ?? $"list entry {i} (0x{Entries[e.Index].Start:x}) is not the tree's entry {i}";
            last = e;
        }
        if (i != inOrder.Count)
            return problem ?? $"the tree holds {inOrder.Count} entries, the list {i}";
        if (last != p.Last)
            return problem ?? $"the map's last entry is {p.Last.Index}, the list ends at {last.Index}";
        return problem;
    }
}
