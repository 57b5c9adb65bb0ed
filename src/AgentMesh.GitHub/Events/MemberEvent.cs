using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary><c>member</c>: added (a collaborator joined a repository).</summary>
public sealed class MemberEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.Member;

    public GitHubUser Member { get; init; } = new();
}
