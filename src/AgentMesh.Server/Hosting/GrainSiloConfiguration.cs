using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentMesh.Grains;
using AgentMesh.Grains.Workers;
using AgentMesh.Storage.OrleansSql;
using Orleans.Placement;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;

namespace AgentMesh.Server.Hosting;

/// <summary>The database Orleans' ADO.NET providers use: an invariant and either a connection string or a data source.</summary>
public sealed record GrainDatabase(string Invariant, string ConnectionString, DbDataSource? DataSource = null);

/// <summary>
/// What every silo of AgentMesh needs for its grains, whatever its clustering: grain storage and
/// the stream pub-sub store on the cluster's database, durable reminders there too, memory streams,
/// System.Text.Json for state, and Core's records as JSON in grain calls. Shared by the node's host
/// and the multi-silo tests, so both run the same configuration.
/// </summary>
public static class GrainSiloConfiguration
{
    /// <summary>The grain storage Orleans' stream pub-sub uses by default.</summary>
    public const string PubSubStoreName = "PubSubStore";

    public static ISiloBuilder UseAgentMeshGrains(this ISiloBuilder silo, GrainDatabase database, GrainTimingOptions timing)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timing);
        silo.AddAdoNetGrainStorage(GrainStorage.Name, o => Use(database, invariant => o.Invariant = invariant, cs => o.ConnectionString = cs, ds => o.DataSource = ds));
        // Stream subscriptions live in storage the whole cluster shares, in Orleans' binary form (PubSubStateSerializer says why).
        silo.Services.AddAdoNetGrainStorage(PubSubStoreName, options => options.Configure<Serializer>((o, serializer) =>
        {
            Use(database, invariant => o.Invariant = invariant, cs => o.ConnectionString = cs, ds => o.DataSource = ds);
            o.GrainStorageSerializer = new PubSubStateSerializer(serializer);
        }));
        silo.UseAdoNetReminderService(o => Use(database, invariant => o.Invariant = invariant, cs => o.ConnectionString = cs, ds => o.DataSource = ds));
        silo.Configure<ReminderOptions>(o =>
        {
            if (timing.ShortestPeriod < o.MinimumReminderPeriod)
            {
                o.MinimumReminderPeriod = timing.ShortestPeriod;
            }
        });
        // Agent-worker grains go to worker silos only (the roles in each silo's metadata).
        silo.Services.AddPlacementFilter<WorkerSilosOnlyStrategy, WorkerSilosOnlyDirector>(ServiceLifetime.Singleton);
        silo.Services.AddSingleton<ReminderServiceReadiness>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ReminderServiceReadiness>());
        silo.Services.AddOptions<GrainTimingOptions>().Configure(o =>
        {
            o.DeliveryReminderPeriod = timing.DeliveryReminderPeriod;
            o.RunWatchPeriod = timing.RunWatchPeriod;
            o.EffectsReminderPeriod = timing.EffectsReminderPeriod;
        });
        silo.Services.AddOptions<GrainStorageWrites>().Configure(o => o.AtOnce = database.Invariant == OrleansSchema.PostgresInvariant);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton<AgentMesh.Grains.Jobs.JobEffectsWakeUp>();
        // Live views: the pulling agents poll their queues every 20 ms instead of Orleans' 100 ms (a log line
        // reaches a reader on another silo in tens of milliseconds, docs/performance.md); two queues keep the
        // idle polling of a silo at 100 calls a second.
        silo.AddMemoryStreams(GrainStorage.StreamProvider, streams =>
        {
            streams.ConfigurePartitioning(2);
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20)));
        });
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o =>
            o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
        silo.Services.AddAgentMeshSerialization();
        return silo;
    }

    /// <summary>
    /// Core's records cross grain calls as JSON (Core's own form): AgentMesh.Core stays free of Orleans
    /// attributes. Within a silo they are not copied at all (<see cref="CoreRecordsCopier"/>). Silos and every
    /// external client need it.
    /// </summary>
    public static IServiceCollection AddAgentMeshSerialization(this IServiceCollection services) =>
        services.AddSerializer(serializer =>
        {
            serializer.AddJsonSerializer(
                isSerializable: CoreRecordsCopier.IsCoreType,
                isCopyable: type => CoreRecordsCopier.IsCoreType(type) && !CoreRecordsCopier.IsImmutableRecord(type),
                configureOptions: options => options.Configure(o => o.SerializerOptions = AgentMesh.Core.CoreJson.Options));
            serializer.Services.AddSingleton<IGeneralizedCopier, CoreRecordsCopier>();
        });

    // Orleans takes exactly one of a connection string and a data source.
    private static void Use(GrainDatabase database, Action<string> invariant, Action<string> connectionString, Action<DbDataSource> dataSource)
    {
        invariant(database.Invariant);
        if (database.DataSource is { } source)
        {
            dataSource(source);
        }
        else
        {
            connectionString(database.ConnectionString);
        }
    }
}
