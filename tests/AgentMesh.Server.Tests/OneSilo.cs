using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Grains;
using AgentMesh.Grains.Jobs;
using AgentMesh.Grains.Repos;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Hosting;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.OrleansSql;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentMesh.Server.Tests;

/// <summary>
/// One real silo whose grain state is a SQLite file, as on one node, for the tests that drive the node's services
/// directly: job grains decide in the test's store (with the test's clock), repo grains count its run slots.
/// </summary>
internal sealed class OneSilo : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private OneSilo(InProcessTestCluster cluster, TempDirectory directory)
    {
        Cluster = cluster;
        _directory = directory;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>Starts the silo; <paramref name="store"/> and <paramref name="clock"/> are asked for only once a grain activates.</summary>
    public static async Task<OneSilo> StartAsync(Func<IAgentMeshStore> store, Func<TimeProvider> clock, JobActorOptions? jobs = null)
    {
        var directory = new TempDirectory("agentmesh-silo");
        var orleansDb = directory.Combine("orleans.db");
        await OrleansSchema.ApplySqliteAsync(orleansDb);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseAgentMeshGrains(
                new GrainDatabase(OrleansSchema.SqliteInvariant, OrleansSchema.SqliteConnectionString(orleansDb), new SqliteDataSource(OrleansSchema.SqliteConnectionString(orleansDb), fullSync: false)),
                new GrainTimingOptions());
            silo.Services.AddSingleton<IJobTurnHost>(_ => new JobTurns(store(), new JobStateMachine(jobs ?? new JobActorOptions()), new JobEffects(), clock(), SharedRandomSource.Instance));
        });
        builder.ConfigureClient(client => client.Services.AddAgentMeshSerialization());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new OneSilo(cluster, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _directory.Dispose();
    }
}
