using AgentMesh.Storage.Abstractions;
using Orleans.Runtime;

namespace AgentMesh.Server.Health;

/// <summary>
/// <c>/healthz</c>: the process is alive. <c>/readyz</c>: the node's silo is an active member of its
/// cluster, and the store answers with its schema current.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("alive"));
        endpoints.MapGet("/readyz", async (IAgentMeshStore store, ILocalSiloDetails silo, IClusterMembershipService membership, CancellationToken cancellationToken) =>
        {
            var health = await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            var siloStatus = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            var ready = health.Ready && siloStatus == SiloStatus.Active;
            var body = new ReadinessReport(ready, SiloStatusName(siloStatus), store.ProviderName, health.Reachable, health.SchemaVersion, health.ExpectedSchemaVersion, health.Error);
            return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private static string SiloStatusName(SiloStatus status) => status.ToString().ToLowerInvariant();

    /// <param name="Silo">The local silo's membership status: <c>active</c> when it serves grains.</param>
    public sealed record ReadinessReport(bool Ready, string Silo, string Store, bool Reachable, int SchemaVersion, int ExpectedSchemaVersion, string? Error);
}
