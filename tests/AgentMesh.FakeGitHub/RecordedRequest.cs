namespace AgentMesh.FakeGitHub;

/// <summary>One request the fake received, for assertions. The Authorization header is not kept, only whether one was sent.</summary>
/// <param name="Identity">Whom it authenticated as, or null.</param>
/// <param name="StatusCode">What the fake answered.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, string? Identity, int StatusCode, string? IfNoneMatch);
