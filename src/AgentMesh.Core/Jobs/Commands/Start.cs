namespace AgentMesh.Core.Jobs.Commands;

/// <summary>A worker claimed the job (queued, or a fix round waiting for a worker). The fence must exceed every earlier claim's.</summary>
public sealed record Start(string WorkerId, long Fence) : JobCommand;
