namespace AgentMesh.Grains.Jobs;

/// <summary>
/// The job grain's persisted timers: when the job is next announced to the workers, and which run of it the
/// grain watches (the worker slot that claimed it and the claim's fence).
/// </summary>
[GenerateSerializer]
public sealed class JobTimerState
{
    [Id(0)]
    public DateTimeOffset? WakeAt { get; set; }

    [Id(1)]
    public string? WatchedOwner { get; set; }

    [Id(2)]
    public long? WatchedFence { get; set; }
}
