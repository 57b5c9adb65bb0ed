namespace AgentMesh.Core.Jobs.Events;

/// <summary>A person stopped the job (the worker, if any, kills the agent).</summary>
public sealed record JobStopped(DateTimeOffset At, string By, JobState PreviousState) : JobEvent(At);
