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
/// <remarks>
/// It does not poll. Effects are written by job turns, and every turn is announced on the cluster's
/// <c>job-changes/*</c> stream, so a notice wakes it (on every node: the claim decides who performs an
/// item). Between notices it sleeps until the store's next due time: a retry's backoff, or the expiry of
/// a claim whose node died.
/// </remarks>
public sealed partial class OutboxDispatcher(
    IAgentMeshStore store,
    GitHubClientProvider github,
    IOptions<NodeOptions> node,
    Changes.JobChangeFeed changes,
    TimeProvider timeProvider,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>Tries an item gets before it is left dead.</summary>
    public const int MaxAttempts = 8;

    private const int BatchSize = 20;

    /// <summary>How long a pass waits after it failed (the store unreachable, say) before it tries again.</summary>
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _wakeUp = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribed before the first pass: an item written in between wakes the next one.
        var listening = await changes.ListenAsync(WakeUp, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                if (await DispatchDueAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                    continue;
                }
                sleep = await UntilNextDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex);
                sleep = PauseAfterError;
            }
            try
            {
                await _wakeUp.WaitAsync(sleep, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        await listening.ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _wakeUp.Dispose();
        base.Dispose();
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        if (await store.Outbox.NextDueAsync(cancellationToken).ConfigureAwait(false) is not { } next)
        {
            return Timeout.InfiniteTimeSpan;
        }
        var wait = next - timeProvider.GetUtcNow();
        // SemaphoreSlim takes at most int.MaxValue milliseconds.
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : wait;
    }

    private void WakeUp()
    {
        try
        {
            _wakeUp.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken already.
        }
    }

    /// <summary>Performs every due item once; returns how many were taken.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var items = await store.Outbox.ClaimDueAsync(node.Value.NodeId, max: BatchSize, lease: TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
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
