namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>Body of <c>POST /repos/{owner}/{repo}/issues/{number}/labels</c>.</summary>
public sealed record LabelsBody(IReadOnlyList<string> Labels);
