using System.Security.Cryptography;
using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.GitHubAccess;

/// <summary>
/// The webhook secrets of repository hooks the node created (dashboard "connect"): one random
/// secret per hook, kept in the store's actor table (type <c>repo_webhook</c>, key the lower-cased
/// <c>owner/name</c>) so every node of a fleet verifies with them. A secret is written once, read only
/// to verify a delivery, and never logged or shown.
/// </summary>
public sealed class RepoWebhookSecrets(IAgentMeshStore store)
{
    public const string ActorType = "repo_webhook";

    /// <summary>32 random bytes as hex: as strong as GitHub allows, and printable for its form.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The secrets of every hook the node created on <paramref name="repo"/>, newest first.</summary>
    public async Task<IReadOnlyList<string>> GetAsync(string repo, CancellationToken cancellationToken = default)
    {
        var snapshot = await store.Actors.GetAsync(ActorType, Key(repo), cancellationToken).ConfigureAwait(false);
        return snapshot is null ? [] : [.. Read(snapshot.StateJson).Hooks.OrderByDescending(h => h.HookId).Select(h => h.Secret)];
    }

    /// <summary>
    /// Keeps the secret of a new hook. Earlier hooks keep theirs: each hook signs with its own secret,
    /// so connecting a repository again never breaks the hook that is already there.
    /// </summary>
    public async Task AddAsync(string repo, long hookId, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        await store.Actors.TurnAsync(
            ActorType,
            Key(repo),
            snapshot =>
            {
                var state = snapshot is null ? new State([]) : Read(snapshot.StateJson);
                var hooks = state.Hooks.Where(h => h.HookId != hookId).Append(new HookSecret(hookId, secret)).ToList();
                // The event names the hook, never its secret: events are readable history.
                return new ActorDecision<bool>(
                    JsonSerializer.Serialize(new State(hooks), CoreJson.Options),
                    [new NewEvent("webhook_created", JsonSerializer.Serialize(new { hookId }, CoreJson.Options))],
                    [],
                    true);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static string Key(string repo) => repo.ToLowerInvariant();

    private static State Read(string json) => JsonSerializer.Deserialize<State>(json, CoreJson.Options) ?? new State([]);

    private sealed record State(IReadOnlyList<HookSecret> Hooks);

    private sealed record HookSecret(long HookId, string Secret);
}
