using FaultLab.Core;

namespace FaultLab.Testing;

/// <summary>The NetBSD family's reading of an access's result, as properties, so that tests read as scenarios do.</summary>
internal static class NetBsdAccessResults
{
    extension(AccessResult result)
    {
        /// <summary>The fault case (<see cref="UvmFamily.CaseOf"/>).</summary>
        public FaultCase Case => UvmFamily.CaseOf(result);

        /// <summary>Resident neighbour pages the fault mapped (<see cref="UvmFamily.NeighborsOf"/>).</summary>
        public int Neighbors => UvmFamily.NeighborsOf(result);
    }
}
