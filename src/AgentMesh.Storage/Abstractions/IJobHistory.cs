namespace AgentMesh.Storage.Abstractions;

/// <summary>A job's event history (appended by job turns), read by sequence number.</summary>
public interface IJobHistory
{
    Task<IReadOnlyList<JobEventRecord>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default);
}

public sealed record JobEventRecord(string JobId, long Sequence, DateTimeOffset At, string Type, string DataJson);
