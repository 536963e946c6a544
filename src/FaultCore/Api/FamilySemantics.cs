namespace FaultLab.Core;

/// <summary>
/// Where a family's contract makes its machines answer differently from the NetBSD family's in what processes can
/// observe: the checker's oracle reads these instead of asking which family it checks. Every property's default is
/// the NetBSD family's answer.
/// </summary>
public sealed record FamilySemantics
{
    /// <summary>NetBSD's answers.</summary>
    public static FamilySemantics Default { get; } = new();

    /// <summary>madvise sets the advice of the range (true), or is a stub that returns EOPNOTSUPP for a valid
    /// request (FreeBSD 1995).</summary>
    public bool MadviseSupported { get; init; } = true;

    /// <summary>
    /// fork copies a wired private range into the child at once and enters the copies with the entry's
    /// max_protection (FreeBSD 1995's vm_fault_copy_entry), so until that range's protection next changes the child
    /// may hold mappings with more rights than the range's protection; an access they allow is a hit.
    /// </summary>
    public bool ForkMapsWiredCopiesWithMaxProtection { get; init; }

    /// <summary>
    /// A copy-on-write copy removes every mapping of the page it copied (FreeBSD 1995's vm_page_protect(NONE)), the
    /// wired mapping of another range included: a wired page may be left unmapped (still wired and resident) until
    /// its next access faults it in again.
    /// </summary>
    public bool CopyMayUnmapWiredPages { get; init; }
}
