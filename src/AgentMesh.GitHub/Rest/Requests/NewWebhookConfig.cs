namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>The <c>config</c> of a new webhook. <see cref="InsecureSsl"/> is a string, as GitHub defines it.</summary>
public sealed record NewWebhookConfig(string Url, string ContentType, string Secret, string InsecureSsl = "0");
