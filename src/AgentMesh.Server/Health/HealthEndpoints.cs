using AgentMesh.Server.Hosting;
using AgentMesh.Storage.Abstractions;
using Orleans.Runtime;

namespace AgentMesh.Server.Health;

/// <summary>
/// <c>/healthz</c>: the process is alive. <c>/readyz</c>: the node's silo is an active member of its
/// cluster whose reminder service has finished its first read (the webhook endpoint needs it), and the store
/// answers with its schema current.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("alive"));
        endpoints.MapGet("/readyz", async (IAgentMeshStore store, ILocalSiloDetails silo, IClusterMembershipService membership, ReminderServiceReadiness reminders, CancellationToken cancellationToken) =>
        {
            var health = await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            var siloStatus = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            var ready = health.Ready && siloStatus == SiloStatus.Active && reminders.HasStarted;
            var body = new ReadinessReport(ready, SiloStatusName(siloStatus), reminders.HasStarted, store.ProviderName, health.Reachable, health.SchemaVersion, health.ExpectedSchemaVersion, health.Error);
            return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private static string SiloStatusName(SiloStatus status) => status.ToString().ToLowerInvariant();

    /// <param name="Silo">The local silo's membership status: <c>active</c> when it serves grains.</param>
    /// <param name="Reminders">Whether the silo's reminder service has started (read its reminders once).</param>
    public sealed record ReadinessReport(bool Ready, string Silo, bool Reminders, string Store, bool Reachable, int SchemaVersion, int ExpectedSchemaVersion, string? Error);
}
