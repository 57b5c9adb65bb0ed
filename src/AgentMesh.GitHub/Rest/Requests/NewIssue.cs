namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>Body of <c>POST /repos/{owner}/{repo}/issues</c>.</summary>
public sealed record NewIssue(string Title, string? Body = null, IReadOnlyList<string>? Labels = null);
