using Octokit.Webhooks;
using Octokit.Webhooks.Events;

namespace AgentMesh.GitHub.Events;

/// <summary>What AgentMesh reads off Octokit.Webhooks' events that they do not say directly.</summary>
public static class WebhookEventExtensions
{
    extension(WebhookEvent webhook)
    {
        /// <summary>The <c>X-GitHub-Event</c> name, e.g. <c>issues</c>.</summary>
        public string EventName => WebhookEventParser.EventNameOf(webhook);
    }

    extension(PullRequestEvent pullRequest)
    {
        /// <summary>True for <c>closed</c> with <c>merged: true</c>; a closed-unmerged PR is abandoned work.</summary>
        public bool IsMerge => pullRequest.Action == "closed" && pullRequest.PullRequest.Merged == true;
    }
}
