using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Health;

/// <summary><c>/healthz</c>: the process is alive. <c>/readyz</c>: the store answers and its schema is current.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("alive"));
        endpoints.MapGet("/readyz", async (IAgentMeshStore store, CancellationToken cancellationToken) =>
        {
            var health = await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            var body = new ReadinessReport(health.Ready, store.ProviderName, health.Reachable, health.SchemaVersion, health.ExpectedSchemaVersion, health.Error);
            return health.Ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    public sealed record ReadinessReport(bool Ready, string Store, bool Reachable, int SchemaVersion, int ExpectedSchemaVersion, string? Error);
}
