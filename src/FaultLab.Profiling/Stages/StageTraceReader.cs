using System.Buffers.Binary;
using System.Diagnostics.Tracing;
using FaultLab.Core;
using Microsoft.Diagnostics.Tracing;

namespace FaultLab.Profiling.Stages;

/// <summary>
/// Reads the FaultLab-Fault events of a .nettrace. EventPipe does not always carry the EventSource's metadata
/// (TraceEvent then sees only the provider's GUID and the event ids), so the events are recognised by the GUID
/// the source's name derives and by their ids, and the Stage payload (one int) is read from the raw bytes.
/// </summary>
public static class StageTraceReader
{
    public const string Provider = "FaultLab-Fault";

    private static readonly Guid ProviderGuid = EventSource.GetGuid(typeof(FaultEvents));

    public static List<StageEvent> Read(string nettracePath)
    {
        var events = new List<StageEvent>();
        using var source = new EventPipeEventSource(nettracePath);
        source.AllEvents += e =>
        {
            if (e.ProviderGuid != ProviderGuid && e.ProviderName != Provider)
                return;
            double ns = e.TimeStampRelativeMSec * 1e6;
            switch ((int)e.ID)
            {
                case FaultEvents.FaultStartId:
                    events.Add(new StageEvent(e.ThreadID, ns, StageEventKind.FaultStart));
                    break;
                case FaultEvents.StageId:
                    var data = e.EventData();
                    if (data.Length >= 4)
                        events.Add(new StageEvent(e.ThreadID, ns, StageEventKind.Stage, BinaryPrimitives.ReadInt32LittleEndian(data)));
                    break;
                case FaultEvents.FaultStopId:
                    events.Add(new StageEvent(e.ThreadID, ns, StageEventKind.FaultStop));
                    break;
            }
        };
        source.Process();
        return events;
    }
}
