namespace AgentMesh.Core.Jobs.Commands;

/// <summary>
/// The run holding the claim with this fence is gone: its silo died (the job grain's probe found no agent-worker
/// grain running it), or its silo handed it back while shutting down. The node failed, not the job.
/// </summary>
public sealed record RunLost(long Fence) : JobCommand;
