namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>Body of <c>PATCH /repos/{owner}/{repo}/issues/{number}</c> that closes or reopens.</summary>
/// <param name="State"><c>open</c> or <c>closed</c>.</param>
/// <param name="StateReason"><c>completed</c>, <c>not_planned</c> or <c>reopened</c>.</param>
public sealed record IssueStateChange(string State, string? StateReason = null);
