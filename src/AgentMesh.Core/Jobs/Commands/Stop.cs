namespace AgentMesh.Core.Jobs.Commands;

/// <summary>A person stopped the job.</summary>
public sealed record Stop(string By) : JobCommand;
