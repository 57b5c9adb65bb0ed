namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>An inline comment in a new review.</summary>
/// <param name="Side"><c>RIGHT</c> (the new code, default) or <c>LEFT</c>.</param>
public sealed record NewReviewComment(string Path, int Line, string Body, string Side = "RIGHT");
