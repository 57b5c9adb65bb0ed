using AgentMesh.Grains.Abstractions.Deliveries;

namespace AgentMesh.Grains.Deliveries;

/// <summary>
/// Turns a stored delivery into work (parse, route, admit, create or command the job). Implemented
/// by the silo host, which owns the GitHub and pipeline services; it must be idempotent, because a
/// delivery whose silo died after acting and before recording it is processed again.
/// </summary>
public interface IDeliveryProcessor
{
    /// <summary>Returns what happened, for people. Throws when the delivery cannot be processed.</summary>
    Task<string> ProcessAsync(WebhookDelivery delivery, CancellationToken cancellationToken);
}
