using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary><c>installation</c>: the App was installed, removed, suspended or its permissions changed.</summary>
public sealed class InstallationEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.Installation;

    /// <summary>The repositories the installation covers (on <c>created</c> and <c>deleted</c>; empty when GitHub sends null).</summary>
    public IReadOnlyList<GitHubRepositoryRef> Repositories { get; init => field = value ?? []; } = [];
}
