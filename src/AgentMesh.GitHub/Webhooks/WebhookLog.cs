using Microsoft.Extensions.Logging;

namespace AgentMesh.GitHub.Webhooks;

/// <summary>The endpoint's log lines. Secrets and signatures are never logged; delivery ids and event names are.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Webhook {DeliveryId} ({Event}.{Action}) for {Repository} stored")]
    public static partial void Accepted(ILogger logger, string deliveryId, string @event, string? action, string? repository);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Webhook {DeliveryId} ({Event}) was already stored; duplicate ignored")]
    public static partial void Duplicate(ILogger logger, string deliveryId, string @event);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Webhook rejected with {StatusCode}: {Reason} (delivery {DeliveryId})")]
    public static partial void Rejected(ILogger logger, int statusCode, string reason, string? deliveryId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Webhook {DeliveryId} could not be stored; answered 503 so the sender can redeliver")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string deliveryId);
}
