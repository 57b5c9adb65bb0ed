namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>Body of <c>POST /repos/{owner}/{repo}/pulls/{number}/reviews</c>.</summary>
/// <param name="Event"><c>COMMENT</c>, <c>APPROVE</c> or <c>REQUEST_CHANGES</c>.</param>
public sealed record NewReview(string Event, string? Body = null, string? CommitId = null, IReadOnlyList<NewReviewComment>? Comments = null);
