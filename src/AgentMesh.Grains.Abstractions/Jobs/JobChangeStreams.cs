namespace AgentMesh.Grains.Abstractions.Jobs;

/// <summary>Where job change notices travel: the memory stream provider <c>live</c>, namespace <c>job-changes</c>.</summary>
public static class JobChangeStreams
{
    public const string Provider = "live";

    public const string Namespace = "job-changes";

    /// <summary>The key of the stream that carries every job's state changes.</summary>
    public const string AllJobs = "*";

    /// <summary>The stream key of one job, or of every job (<paramref name="jobId"/> null).</summary>
    public static string KeyOf(string? jobId) => jobId ?? AllJobs;
}
