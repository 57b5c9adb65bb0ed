namespace AgentMesh.FakeGitHub.Model;

/// <summary>An inline review comment.</summary>
public sealed record FakeReviewComment(long Id, long ReviewId, FakeUser User, string Path, int Line, string Side, string Body, string CommitId, DateTimeOffset CreatedAt);
