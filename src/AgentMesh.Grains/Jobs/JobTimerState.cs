namespace AgentMesh.Grains.Jobs;

/// <summary>The job grain's persisted timer: when the job is next announced to the workers.</summary>
[GenerateSerializer]
public sealed class JobTimerState
{
    [Id(0)]
    public DateTimeOffset? WakeAt { get; set; }
}
