namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The rescuer found the claim with this fence expired (its node died or hung).</summary>
public sealed record LeaseExpired(long Fence) : JobCommand;
