namespace AgentMesh.Server.Api;

/// <summary>Endpoint metadata marking the Orleans dashboard's endpoints, which <see cref="OrleansDashboardGuard"/> guards.</summary>
public sealed class OrleansDashboardEndpoint
{
    public static OrleansDashboardEndpoint Instance { get; } = new();
}
