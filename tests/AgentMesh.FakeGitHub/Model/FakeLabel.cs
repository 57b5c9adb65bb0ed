namespace AgentMesh.FakeGitHub.Model;

/// <summary>A repository label.</summary>
public sealed record FakeLabel(long Id, string Name, string Color);
