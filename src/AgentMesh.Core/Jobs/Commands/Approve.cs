namespace AgentMesh.Core.Jobs.Commands;

/// <summary>A person with write access approved the held work of the job's current run (checked by the caller).</summary>
public sealed record Approve(string By) : JobCommand;
