namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>Body of <c>POST /repos/{owner}/{repo}/hooks</c>.</summary>
public sealed record NewWebhook(string Name, bool Active, IReadOnlyList<string> Events, NewWebhookConfig Config);
