namespace AgentMesh.FakeGitHub.Model;

/// <summary>An account in the fake: a user, a bot or an organization.</summary>
public sealed record FakeUser(long Id, string Login, string Type = "User");
