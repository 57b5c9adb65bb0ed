using System.Net;
using System.Text;
using AgentMesh.FakeGitHub.Model;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Dashboard.Tests.Browser;

/// <summary>What the repos, usage and cluster browser tests need of the node and its fake GitHub.</summary>
internal sealed partial class DashboardNode
{
    /// <summary>A repository the bot is invited to and has not accepted yet: "connect" accepts it.</summary>
    public const string InvitedRepo = "octo/gizmos";

    public void InviteBotTo(string fullName)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        GitHub.CreateRepo(fullName[..slash], fullName[(slash + 1)..]);
        GitHub.InviteCollaborator(fullName, Bot, "admin");
    }

    /// <summary>The repository's webhooks on the fake GitHub, secrets included (GitHub's own view).</summary>
    public IReadOnlyList<FakeHook> HooksOf(string fullName)
    {
        lock (GitHub.State.Gate)
        {
            return [.. GitHub.State.Repositories[fullName].Hooks];
        }
    }

    public bool BotCollaboratesOn(string fullName)
    {
        lock (GitHub.State.Gate)
        {
            return GitHub.State.Repositories[fullName].Collaborators.ContainsKey(Bot)
                && !GitHub.State.Invitations.Any(i => i.Repository.FullName == fullName);
        }
    }

    /// <summary>Opens an issue and has the fake GitHub deliver <c>issues.opened</c> through the repository's own hooks.</summary>
    public async Task<IReadOnlyList<HttpStatusCode>> DeliverIssueThroughHooksAsync(string fullName, string title)
    {
        var issue = GitHub.CreateIssue(fullName, title, null, Owner);
        return await GitHub.DeliverAsync(fullName, "issues", GitHub.IssuesPayload(fullName, issue.Number, "opened", Owner));
    }

    /// <summary>Sends an <c>issues.opened</c> delivery for the repository signed with <paramref name="secret"/>; returns the node's answer.</summary>
    public async Task<HttpStatusCode> SendSignedIssueAsync(string fullName, string secret)
    {
        var issue = GitHub.CreateIssue(fullName, "Signed by someone else", null, Owner);
        using var response = await GitHub.SendWebhookAsync(
            new Uri(BaseAddress, "/webhooks/github"),
            "issues",
            Encoding.UTF8.GetBytes(GitHub.IssuesPayload(fullName, issue.Number, "opened", Owner).ToJsonString()),
            secret);
        return response.StatusCode;
    }

    /// <summary>
    /// Writes runs into the node's usage table through a second store on its SQLite file (WAL lets two
    /// processes share it), as the node's workers would: this node is web-only and runs no agents.
    /// </summary>
    public async Task RecordUsageAsync(IEnumerable<RunUsage> runs)
    {
        await using var store = AgentMeshStoreFactory.Create(new StoreOptions { DataDirectory = _directory.Combine("data") }, TimeProvider.System, NullLoggerFactory.Instance);
        foreach (var run in runs)
        {
            await store.Usage.RecordAsync(run);
        }
    }
}
