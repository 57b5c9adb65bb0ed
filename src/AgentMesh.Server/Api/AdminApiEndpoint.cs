namespace AgentMesh.Server.Api;

/// <summary>Endpoint metadata marking an admin API endpoint, which <see cref="AdminTokenMiddleware"/> guards.</summary>
public sealed class AdminApiEndpoint
{
    public static AdminApiEndpoint Instance { get; } = new();
}
