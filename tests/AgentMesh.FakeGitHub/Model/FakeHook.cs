namespace AgentMesh.FakeGitHub.Model;

/// <summary>A repository webhook created through the API; <see cref="FakeGitHubServer.DeliverAsync"/> posts to it.</summary>
public sealed record FakeHook(long Id, Uri Url, string Secret, IReadOnlyList<string> Events, string ContentType);
