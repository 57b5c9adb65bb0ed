namespace AgentMesh.GitHub.Webhooks;

/// <summary>The request headers GitHub sends with every delivery.</summary>
public static class WebhookHeaders
{
    public const string Event = "X-GitHub-Event";
    public const string Delivery = "X-GitHub-Delivery";
    public const string Signature256 = "X-Hub-Signature-256";
    public const string HookId = "X-GitHub-Hook-ID";
}
