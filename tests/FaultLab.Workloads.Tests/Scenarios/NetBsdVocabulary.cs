using FaultLab.Core;
using FaultLab.Workloads.Scenarios;

namespace FaultLab.Workloads.Tests.Scenarios;

/// <summary>The NetBSD family's words on the scenario records, so that the tests read as the scenarios do.</summary>
internal static class NetBsdVocabulary
{
    extension(ExpectedOutcome outcome)
    {
        public FaultCase? Case => outcome.Outcome is { } o ? (FaultCase)o.Code : null;
        public int? Restarts => outcome.KeyValue("restarts");
        public int? Neighbors => outcome.KeyValue("neighbors");
    }

    extension(StatementResult result)
    {
        public int? Restarts => Key(result, "restarts");
        public int? Neighbors => Key(result, "neighbors");
    }

    private static int? Key(StatementResult result, string key) =>
        result.Keys.Where(k => k.Key == key).Select(k => (int?)k.Value).FirstOrDefault();
}
