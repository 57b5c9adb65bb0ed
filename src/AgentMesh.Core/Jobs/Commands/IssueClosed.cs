namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The job's issue was closed (on GitHub or by moving the card to Closed).</summary>
public sealed record IssueClosed : JobCommand;
