namespace AgentMesh.Grains.Abstractions.Logs;

/// <summary>
/// Log lines of one job as a worker stored them, sent on the job's live stream (memory streams, namespace <c>job-logs</c>).
/// Sequence numbers are the store's: a reader that loaded a snapshot skips what it already has, and a gap
/// (a batch lost: memory streams are best effort) is filled from the store.
/// </summary>
[GenerateSerializer]
[Alias("AgentMesh.LiveLogBatch")]
public sealed record LiveLogBatch(
    [property: Id(0)] string JobId,
    [property: Id(1)] IReadOnlyList<LiveLogLine> Lines);

/// <summary>One stored log line.</summary>
[GenerateSerializer]
[Alias("AgentMesh.LiveLogLine")]
public sealed record LiveLogLine(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Stream,
    [property: Id(3)] string Text);
