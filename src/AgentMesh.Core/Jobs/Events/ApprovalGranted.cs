namespace AgentMesh.Core.Jobs.Events;

/// <summary>A maintainer approved the held work of run <paramref name="Run"/>; the job is queued to push it.</summary>
public sealed record ApprovalGranted(DateTimeOffset At, string By, int Run, string Commit) : JobEvent(At);
