using System.Text.Json;
using AgentMesh.Grains.Jobs;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Outbox;

/// <summary>
/// Performs a job's committed side effects for its effects grain: takes the job's due outbox items, calls
/// GitHub, completes them; a transient failure is retried with exponential backoff (the grain's reminder comes
/// back at the retry time), a permanent one (or the last try) leaves the item dead with its error for an
/// operator to see. Items are claimed with a short lease as well, so an <c>agentmesh run</c> beside a node
/// never posts a comment twice.
/// </summary>
public sealed partial class JobEffectPerformer(
    IAgentMeshStore store,
    GitHubClientProvider github,
    IOptions<NodeOptions> node,
    TimeProvider timeProvider,
    ILogger<JobEffectPerformer> logger) : IJobEffectsHost
{
    /// <summary>Tries an item gets before it is left dead.</summary>
    public const int MaxAttempts = 8;

    private const int BatchSize = 20;

    public async Task<DateTimeOffset?> PerformDueAsync(string jobId)
    {
        var items = await store.Outbox.ClaimDueForJobAsync(jobId, node.Value.NodeId, max: BatchSize, lease: TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        foreach (var item in items)
        {
            try
            {
                await PerformAsync(item, CancellationToken.None).ConfigureAwait(false);
                await store.Outbox.CompleteAsync(item.Id).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var permanent = (ex is Octokit.ApiException api && (int)api.StatusCode is >= 400 and < 500 and not 403 and not 429) || item.Attempts + 1 >= MaxAttempts;
                DateTimeOffset? retryAt = permanent ? null : timeProvider.GetUtcNow() + TimeSpan.FromSeconds(Math.Pow(2, item.Attempts));
                await store.Outbox.FailAsync(item.Id, ex.Message, retryAt).ConfigureAwait(false);
                LogEffectFailed(logger, ex, item.Kind, item.IdempotencyKey, permanent);
            }
        }
        return await store.Outbox.NextDueForJobAsync(jobId).ConfigureAwait(false);
    }

    private async Task PerformAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        switch (item.Kind)
        {
            case OutboxKinds.Comment or OutboxKinds.StatusComment:
                var effect = JsonSerializer.Deserialize<CommentEffect>(item.PayloadJson)
                    ?? throw new InvalidOperationException($"Outbox item {item.Id} has no payload.");
                var slash = effect.Repo.IndexOf('/', StringComparison.Ordinal);
                var (owner, name) = (effect.Repo[..slash], effect.Repo[(slash + 1)..]);
                var client = await github.ForRepositoryAsync(effect.Repo, cancellationToken).ConfigureAwait(false);
                if (effect.StatusOf is { } statusOf)
                {
                    await client.UpsertStatusCommentAsync(owner, name, effect.Number, statusOf, effect.Body, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await client.CreateCommentAsync(owner, name, effect.Number, effect.Body, cancellationToken).ConfigureAwait(false);
                }
                return;
            default:
                throw new InvalidOperationException($"Unknown outbox kind '{item.Kind}'.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox effect {Kind} ({Key}) failed; permanent: {Permanent}")]
    private static partial void LogEffectFailed(ILogger logger, Exception exception, string kind, string key, bool permanent);
}
