namespace AgentMesh.Grains.Abstractions.Jobs;

/// <summary>What a job grain found when it looked for one of its runs.</summary>
public enum RunCheck
{
    /// <summary>The run's agent-worker grain is active and its agent runs.</summary>
    Running,

    /// <summary>No agent-worker grain runs it: the job was told the run is lost (a no-op if the job had moved on).</summary>
    Lost,

    /// <summary>The run's grain could not be asked (e.g. its silo is dying but not yet declared dead); asked again later.</summary>
    Unknown,
}
