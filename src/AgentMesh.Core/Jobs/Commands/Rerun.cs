namespace AgentMesh.Core.Jobs.Commands;

/// <summary>A person re-runs a finished job: a new run with fresh attempts.</summary>
public sealed record Rerun(string By) : JobCommand;
