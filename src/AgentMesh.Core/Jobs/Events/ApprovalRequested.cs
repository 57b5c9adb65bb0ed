namespace AgentMesh.Core.Jobs.Events;

/// <summary>The run's work touches protected paths; it is held at <paramref name="Commit"/> until approved.</summary>
public sealed record ApprovalRequested(DateTimeOffset At, int Run, string Commit, IReadOnlyList<string> Paths) : JobEvent(At);
