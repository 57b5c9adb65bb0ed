using System.Text.Json;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Outbox;

/// <summary>
/// Performs committed side effects: takes due outbox items, calls GitHub, completes them; a
/// transient failure is retried with exponential backoff, a permanent one (or the last try) leaves
/// the item dead with its error for an operator to see.
/// </summary>
public sealed partial class OutboxDispatcher(
    IAgentMeshStore store,
    GitHubClientProvider github,
    IOptions<NodeOptions> node,
    TimeProvider timeProvider,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>Tries an item gets before it is left dead.</summary>
    public const int MaxAttempts = 8;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, timeProvider);
        do
        {
            try
            {
                await DispatchDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Performs every due item once; returns how many were taken.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var items = await store.Outbox.ClaimDueAsync(node.Value.NodeId, max: 20, lease: TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            try
            {
                await PerformAsync(item, cancellationToken).ConfigureAwait(false);
                await store.Outbox.CompleteAsync(item.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var permanent = (ex is Octokit.ApiException api && (int)api.StatusCode is >= 400 and < 500 and not 403 and not 429) || item.Attempts + 1 >= MaxAttempts;
                DateTimeOffset? retryAt = permanent ? null : timeProvider.GetUtcNow() + TimeSpan.FromSeconds(Math.Pow(2, item.Attempts));
                await store.Outbox.FailAsync(item.Id, ex.Message, retryAt, cancellationToken).ConfigureAwait(false);
                LogEffectFailed(logger, ex, item.Kind, item.IdempotencyKey, permanent);
            }
        }
        return items.Count;
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
                if (effect.StatusOf is { } jobId)
                {
                    await client.UpsertStatusCommentAsync(owner, name, effect.Number, jobId, effect.Body, cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "An outbox pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
