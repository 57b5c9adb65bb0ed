using Orleans.Runtime;

namespace AgentMesh.Server.LiveLogs;

/// <summary>Where a job's live log lines travel: the memory stream provider <c>live</c>, namespace <c>job-logs</c>, keyed by job id.</summary>
public static class LiveLogStream
{
    public const string Provider = "live";

    public const string Namespace = "job-logs";

    public static StreamId For(string jobId) => StreamId.Create(Namespace, jobId);
}
