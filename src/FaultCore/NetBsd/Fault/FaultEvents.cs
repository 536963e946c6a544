using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace FaultLab.Core;

/// <summary>The stages of a fault, as the events name them.</summary>
public enum FaultStage
{
    /// <summary>uvm_fault_check: protection, needs-copy, the advice window, amap lookups.</summary>
    Check = 1,
    /// <summary>uvm_fault_upper_lookup: existing mappings, anons, upper neighbours.</summary>
    UpperLookup = 2,
    /// <summary>uvm_fault_upper: anonget, loans, the 1A/1B decision.</summary>
    Upper = 3,
    /// <summary>uvm_fault_lower_lookup: resident object pages (pgo_get PGO_LOCKED), lower neighbours.</summary>
    LowerLookup = 4,
    /// <summary>uvm_fault_lower_io: the pager reads the page.</summary>
    LowerIo = 5,
    /// <summary>uvmfault_promote: a new anon and page, zeroed or copied.</summary>
    Promote = 6,
    /// <summary>uvm_fault_upper_enter / uvm_fault_lower_enter: pmap_enter and the page queues.</summary>
    Enter = 7,
}

/// <summary>
/// Fault-stage events (EventSource "FaultLab-Fault"): FaultStart, one Stage event as each stage begins, and
/// FaultStop. A stage lasts until the next event of the fault. Every call on the fault path is guarded by
/// <see cref="EventSource.IsEnabled()"/>: a disabled source costs a field read and a branch per stage, and the
/// events allocate nothing.
/// </summary>
[EventSource(Name = "FaultLab-Fault")]
public sealed class FaultEvents : EventSource
{
    public const int FaultStartId = 1, StageId = 2, FaultStopId = 3;

    public static readonly FaultEvents Log = new();

    private FaultEvents()
    {
    }

    [Event(FaultStartId, Level = EventLevel.Verbose, Message = "fault at {0:x} access {1}")]
    public void FaultStart(ulong va, int access) => WriteEvent(FaultStartId, (long)va, access);

    [Event(StageId, Level = EventLevel.Verbose, Message = "stage {0}")]
    public void Stage(FaultStage stage) => WriteEvent(StageId, (int)stage);

    [Event(FaultStopId, Level = EventLevel.Verbose, Message = "fault done: error {0}, case {1}, restarts {2}")]
    public void FaultStop(int error, int faultCase, int restarts) => WriteEvent(FaultStopId, error, faultCase, restarts);

    /// <summary>The guarded call the fault path makes at the start of each stage.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Enter(FaultStage stage)
    {
        if (Log.IsEnabled())
            Log.Stage(stage);
    }
}
