namespace AgentMesh.Core.Jobs.Events;

/// <summary>A person re-ran a finished job: a new run, queued now.</summary>
public sealed record JobRerun(DateTimeOffset At, string By, int Run, JobState PreviousState) : JobEvent(At);
