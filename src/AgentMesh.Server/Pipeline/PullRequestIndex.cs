using System.Text.Json;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Pipeline;

/// <summary>
/// Finds the job behind a pull request AgentMesh opened. Most PR webhooks carry the head branch
/// (which names the issue); a comment in the PR's conversation carries only the number, so the
/// worker records number → job when it opens the PR.
/// </summary>
public sealed class PullRequestIndex(IAgentMeshStore store)
{
    public const string ActorType = "pull_request";

    public Task RecordAsync(string repo, int number, string jobId, CancellationToken cancellationToken = default) =>
        store.Actors.TurnAsync(
            ActorType,
            Key(repo, number),
            _ => new ActorDecision<bool>(JsonSerializer.Serialize(new Entry(jobId)), [], [], true),
            cancellationToken);

    public async Task<string?> FindJobAsync(string repo, int number, CancellationToken cancellationToken = default)
    {
        var snapshot = await store.Actors.GetAsync(ActorType, Key(repo, number), cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : JsonSerializer.Deserialize<Entry>(snapshot.StateJson)?.JobId;
    }

    private static string Key(string repo, int number) => $"{repo}#{number}";

    private sealed record Entry(string JobId);
}
