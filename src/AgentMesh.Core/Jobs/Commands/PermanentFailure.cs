namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The attempt failed in a way a retry cannot fix (bad configuration, refused by policy).</summary>
public sealed record PermanentFailure(string Reason) : JobCommand;
