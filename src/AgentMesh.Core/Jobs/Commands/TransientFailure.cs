namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The attempt failed in a way worth retrying (network, rate limit, crash).</summary>
public sealed record TransientFailure(string Reason) : JobCommand;
