using AgentMesh.Dashboard.Cluster;
using AgentMesh.Dashboard.Repos;
using AgentMesh.Dashboard.Usage;
using AgentMesh.GitHub.Webhooks;
using AgentMesh.Server.Api.Nodes;
using AgentMesh.Server.Api.Repos;
using AgentMesh.Server.Api.Stats;
using AgentMesh.Server.GitHubAccess;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentMesh.Server.Api;

/// <summary>
/// The node's side of the dashboard's repos, usage and cluster pages, and the per-repository webhook
/// secrets "connect" creates. Call after the pipeline is added (it replaces the webhook secret provider).
/// </summary>
public static class DashboardPagesHostingExtensions
{
    public static WebApplicationBuilder AddAgentMeshDashboardPages(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<ClusterMembers>();
        services.TryAddSingleton<RepoWebhookSecrets>();
        // Deliveries are verified with the secrets of hooks the node created as well as the configured ones.
        services.Replace(ServiceDescriptor.Singleton<IWebhookSecretProvider, StoredWebhookSecretProvider>());
        services.AddSingleton<IRepoSettings, DashboardRepoSettings>();
        services.AddSingleton<IRepoConnector, DashboardRepoConnector>();
        services.AddSingleton<IBudgetGauges, DashboardBudgetGauges>();
        services.AddSingleton<IClusterView, DashboardClusterView>();
        return builder;
    }
}
