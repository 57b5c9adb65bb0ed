namespace AgentMesh.FakeGitHub.Model;

/// <summary>A submitted review. <see cref="State"/> is REST's upper case: APPROVED, CHANGES_REQUESTED, COMMENTED.</summary>
public sealed record FakeReview(long Id, FakeUser User, string State, string? Body, string CommitId, DateTimeOffset SubmittedAt);
