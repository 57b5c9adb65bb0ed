namespace AgentMesh.FakeGitHub.Model;

/// <summary>An App installation on an account, covering some repositories.</summary>
public sealed record FakeInstallation(long Id, string AppId, FakeUser Account, IReadOnlyList<string> Repositories);
