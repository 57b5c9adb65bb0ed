using AgentMesh.Grains;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage.OrleansSql;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using AgentMesh.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace AgentMesh.Grains.Tests;

/// <summary>
/// A TestingHost cluster of several in-process silos whose grain state and reminders are on a real,
/// fresh PostgreSQL database, configured as the node configures its silos (<see cref="GrainSiloConfiguration"/>),
/// with failure detection tuned so a killed silo is declared dead in about a second.
/// </summary>
public static class PostgresCluster
{
    /// <param name="rolesOfSilo">The roles each silo declares in its metadata, by index (as a node does from
    /// its silo-config overlay); every silo is <c>web,worker</c> when omitted.</param>
    public static async Task<InProcessTestCluster> StartAsync(short silos, Action<IServiceCollection> services, TimeSpan reminderPeriod, Func<int, string>? rolesOfSilo = null)
    {
        // The silos of earlier tests are gone, but Npgsql keeps their idle connections pooled (per connection
        // string, for minutes): a dozen three-silo clusters in a row would exhaust the server's connections.
        // Tests in this assembly run one at a time, so no live cluster loses anything here.
        NpgsqlConnection.ClearAllPools();
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        await OrleansSchema.ApplyPostgresAsync(connectionString);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((options, silo) =>
        {
            // TestingHost names its silos Silo_0, Silo_1, ...
            var index = int.Parse(options.SiloName[(options.SiloName.LastIndexOf('_') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            silo.UseSiloMetadata(new Dictionary<string, string> { ["roles"] = rolesOfSilo?.Invoke(index) ?? "web,worker" });
            silo.UseAgentMeshGrains(
                new GrainDatabase(OrleansSchema.PostgresInvariant, connectionString),
                new GrainTimingOptions { DeliveryReminderPeriod = reminderPeriod, RunWatchPeriod = reminderPeriod, EffectsReminderPeriod = reminderPeriod });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            services(silo.Services);
            silo.Services.TryAddSingleton<IJobTurnHost, UnexpectedJobTurns>();
        });
        builder.ConfigureClient(client =>
        {
            client.Services.AddAgentMeshSerialization();
            // Tests subscribe to the live streams as a dashboard or a worker would.
            client.AddMemoryStreams(GrainStorage.StreamProvider);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        // A silo serves grains before its reminder service has read the reminder table; a reminder
        // registered in that window waits, and fails after 20 s when the first read had to be retried.
        // A node is not ready until then (/readyz), so neither is the test's cluster.
        foreach (var silo in cluster.Silos)
        {
            await Eventually.WithinAsync(
                silo.ServiceProvider.GetRequiredService<ReminderServiceReadiness>().Started,
                $"the reminder service of silo {silo.SiloAddress} to start",
                TimeSpan.FromSeconds(90));
        }
        return cluster;
    }
}
