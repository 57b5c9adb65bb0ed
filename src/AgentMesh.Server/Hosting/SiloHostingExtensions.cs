using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AgentMesh.Grains;
using AgentMesh.Grains.Workers;
using AgentMesh.Storage;
using AgentMesh.Storage.OrleansSql;
using AgentMesh.Storage.Postgres;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// Co-hosts an Orleans silo with the node's ASP.NET Core app. On the embedded store: localhost
/// clustering, grain storage and reminders on <c>orleans.db</c> beside the store's file, the data
/// directory locked. On PostgreSQL: ADO.NET clustering, grain storage and reminders on the shared
/// database. Orleans' schema is applied before the silo starts (<see cref="OrleansSchemaInitializer"/>).
/// </summary>
public static class SiloHostingExtensions
{
    /// <summary>The SQLite file of Orleans' tables on one node, in the data directory.</summary>
    public const string SqliteFileName = "orleans.db";

    public static WebApplicationBuilder AddAgentMeshSilo(this WebApplicationBuilder builder, StoreOptions store, NodeOptions node)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(node);
        var silo = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var timing = builder.Configuration.GetSection(GrainTimingOptions.SectionName).Get<GrainTimingOptions>() ?? new GrainTimingOptions();
        var problems = silo.Validate().Concat(timing.Validate()).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
        builder.Services.AddSingleton(silo);

        var embedded = store.Provider != "postgres";
        var (invariant, connectionString) = embedded
            ? (OrleansSchema.SqliteInvariant, OrleansSchema.SqliteConnectionString(SqlitePath(store)))
            : (OrleansSchema.PostgresInvariant, PostgresConnectionStrings.Tune(store.ConnectionString));
        // SQLite: our data source sets the durability pragma on each connection (see SqliteDataSource).
        System.Data.Common.DbDataSource? dataSource = embedded ? new SqliteDataSource(connectionString, silo.SqliteFullSync) : null;
        // Before UseOrleans: hosted services start in registration order, and the silo's is added there.
        builder.Services.AddHostedService(sp => new OrleansSchemaInitializer(embedded, embedded ? SqlitePath(store) : connectionString, sp.GetRequiredService<ILogger<OrleansSchemaInitializer>>()));

        // Orleans logs membership chatter at Information; an operator wants its warnings.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);

        builder.UseOrleans(orleans =>
        {
            var siloPort = ResolvePort(silo.SiloPort, embedded ? 0 : EndpointOptions.DEFAULT_SILO_PORT);
            var gatewayPort = ResolvePort(silo.GatewayPort, embedded ? 0 : EndpointOptions.DEFAULT_GATEWAY_PORT);
            if (embedded)
            {
                orleans.UseLocalhostClustering(siloPort, gatewayPort, serviceId: silo.ServiceId, clusterId: silo.ClusterId);
            }
            else
            {
                orleans.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = silo.ClusterId;
                    o.ServiceId = silo.ServiceId;
                });
                orleans.UseAdoNetClustering(o =>
                {
                    o.Invariant = invariant;
                    o.ConnectionString = connectionString;
                });
                var advertised = silo.AdvertisedAddress is { Length: > 0 } address ? IPAddress.Parse(address) : FirstNonLoopbackAddress();
                orleans.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: true);
                orleans.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = silo.ProbeTimeout ?? o.ProbeTimeout;
                    o.NumMissedProbesLimit = silo.NumMissedProbesLimit ?? o.NumMissedProbesLimit;
                });
            }

            orleans.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = node.NodeId);
            orleans.UseSiloMetadata(new Dictionary<string, string>
            {
                [WorkerSilosOnlyDirector.RolesKey] = node.Roles,
                ["slots"] = node.WorkerSlots.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["node"] = node.NodeId,
                ["version"] = NodeVersion,
            });

            orleans.UseAgentMeshGrains(new GrainDatabase(invariant, connectionString, dataSource), timing);
            // The official Orleans dashboard, served at /orleans to the admin token and dashboard admins (MapAdminApi).
            orleans.AddDashboard();
        });
        return builder;
    }

    /// <summary>The version of AgentMesh a silo runs, in its metadata for the cluster view.</summary>
    public static string NodeVersion { get; } = typeof(SiloHostingExtensions).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>The SQLite file of Orleans' tables for these store options.</summary>
    public static string SqlitePath(StoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Path.Combine(Path.GetDirectoryName(store.SqliteDatabasePath)!, SqliteFileName);
    }

    private static int ResolvePort(int? configured, int fallback)
    {
        var port = configured ?? fallback;
        if (port != 0)
        {
            return port;
        }
        // Orleans needs the port before it binds; a port the OS just handed out is free in practice.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static IPAddress FirstNonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
