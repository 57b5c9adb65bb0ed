namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>Body of creating or editing an issue comment.</summary>
public sealed record CommentBody(string Body);
