namespace AgentMesh.Core.Jobs.Events;

/// <summary>The agent reported its work ready for a pull request (the outbox pushes and opens it).</summary>
public sealed record PrReadyReported(DateTimeOffset At, string Summary) : JobEvent(At);
