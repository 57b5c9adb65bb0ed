using AgentMesh.GitHub.Events;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Pipeline;

/// <summary>
/// Processes stored webhook deliveries after they were acknowledged: parse, route, act, mark
/// processed. A delivery is leased while it is processed, so a node that dies mid-way leaves it to
/// another node once the lease expires; acting twice is harmless (see <see cref="WorkIntentHandler"/>).
/// </summary>
public sealed partial class InboxProcessor(
    IAgentMeshStore store,
    WebhookRouter router,
    WorkIntentHandler handler,
    InboxWakeUp wakeUp,
    IOptions<NodeOptions> node,
    PipelineOptions options,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var processed = await ProcessBatchAsync(stoppingToken).ConfigureAwait(false);
                if (processed < options.InboxBatchSize)
                {
                    await wakeUp.WaitAsync(options.InboxPollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex);
                await wakeUp.WaitAsync(options.InboxPollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Processes one batch of pending deliveries and returns how many there were.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        var deliveries = await store.Inbox.ClaimPendingAsync(node.Value.NodeId, options.InboxBatchSize, options.InboxLease, cancellationToken).ConfigureAwait(false);
        foreach (var delivery in deliveries)
        {
            string? error = null;
            try
            {
                var webhook = WebhookEventParser.Parse(delivery.Event, delivery.Payload);
                var outcome = await handler.HandleAsync(router.Route(webhook), cancellationToken).ConfigureAwait(false);
                LogProcessed(logger, delivery.DeliveryId, delivery.Event, delivery.Action ?? "", outcome);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Kept with the delivery for operators; retrying a delivery that broke the handler would loop.
                error = ex.Message;
                LogDeliveryFailed(logger, ex, delivery.DeliveryId);
            }
            await store.Inbox.MarkProcessedAsync(delivery.DeliveryId, error, cancellationToken).ConfigureAwait(false);
        }
        return deliveries.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} ({Event}.{Action}): {Outcome}")]
    private static partial void LogProcessed(ILogger logger, string deliveryId, string @event, string action, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be processed")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "An inbox pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
