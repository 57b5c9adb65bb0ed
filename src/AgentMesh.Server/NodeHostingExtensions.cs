using AgentMesh.Grains.Jobs;
using AgentMesh.Dashboard;
using AgentMesh.Server.Api;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Server.Api.Jobs;
using AgentMesh.Server.Changes;
using AgentMesh.Server.Health;
using AgentMesh.Server.Hosting;
using AgentMesh.Server.Maintenance;
using AgentMesh.Server.Pipeline;
using AgentMesh.Server.Tenants;
using AgentMesh.Server.Worker;
using AgentMesh.Storage;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server;

/// <summary>Wires a node: options, the store, and the background services its roles need.</summary>
public static class NodeHostingExtensions
{
    public static WebApplicationBuilder AddAgentMeshNode(this WebApplicationBuilder builder, string silo = SiloConfiguration.DefaultSilo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddSiloOverlay(silo);

        builder.Services.AddProblemDetails();

        // Npgsql logs every command at Information; an operator wants its warnings, not its traffic.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        // Orleans' placement runs through a Polly pipeline that logs every attempt at Information.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // A bad setting stops the node with one line naming the key (ServeCommand prints it);
        // the host's own "failed to start" error with its stack trace would only bury that line.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<NodeOptions>().Bind(builder.Configuration.GetSection(NodeOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.AddOptions<StoreOptions>().Bind(builder.Configuration.GetSection(StoreOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>();

        // Every write the node makes announces itself on the cluster's job-change streams.
        services.AddSingleton<JobChangePublisher>();
        services.AddSingleton<JobWakeUps>();
        services.AddSingleton<SharedStreamSubscriptions>();
        services.AddSingleton<JobChangeFeed>();
        services.AddSingleton<LiveLogs.LiveLogPublisher>();
        services.AddSingleton<IJobFeed, ClusterJobFeed>();
        services.AddSingleton<IAgentMeshStore>(sp => new PublishingStore(
            AgentMeshStoreFactory.Create(
                sp.GetRequiredService<IOptions<StoreOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(),
                // The silo's settings, as AddAgentMeshSilo bound and registered them below: orleans.db follows the same choice.
                sp.GetRequiredService<SiloHostOptions>().SqliteFullSync),
            sp.GetRequiredService<JobChangePublisher>(),
            sp.GetRequiredService<LiveLogs.LiveLogPublisher>()));
        // Order matters: the data directory lock first, migrations next, then the silo and the
        // services that use the store. Data Protection's own hosted service (which reads the key ring from
        // the store) is registered by the first call to AddDataProtection below, so these go before it.
        services.AddHostedService<DataDirectoryGuard>();
        services.AddHostedService<StoreInitializer>();
        services.AddStoreDataProtection();
        builder.AddAdminApi();
        builder.AddAgentMeshDashboard<DashboardJobActions, DashboardJobCreation, DashboardTenants>();

        builder.AddAgentMeshSilo(
            builder.Configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions(),
            builder.Configuration.GetSection(NodeOptions.SectionName).Get<NodeOptions>() ?? new NodeOptions());
        // A run lost with its silo is found by its job grain (a reminder, and at once when a silo is declared dead).
        services.AddSingleton<Worker.IdleSlotsSignal>();
        services.AddSingleton<DeadSiloRescueService>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadSiloRescueService>());
        var retention = builder.Configuration.GetSection(RetentionOptions.SectionName).Get<RetentionOptions>() ?? new RetentionOptions();
        var retentionProblems = retention.Validate();
        if (retentionProblems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, retentionProblems));
        }
        services.AddSingleton(retention);
        services.AddHostedService<RetentionService>();
        builder.AddAgentMeshPipeline();
        builder.AddAgentMeshWorker();
        builder.AddAgentMeshReconciliation();
        builder.AddAgentMeshDashboardPages();
        return builder;
    }

    public static WebApplication MapAgentMeshNode(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // An unexpected failure answers with a problem body, never an empty 500 page.
        app.UseExceptionHandler();
        app.MapHealthEndpoints();
        // Webhooks and the API are the web role's: a worker-only node answers health checks only.
        if (app.Services.GetRequiredService<IOptions<NodeOptions>>().Value.IsWeb)
        {
            app.MapAdminApi();
            app.MapAgentMeshPipeline();
            app.MapAgentMeshDashboard();
        }
        return app;
    }
}
