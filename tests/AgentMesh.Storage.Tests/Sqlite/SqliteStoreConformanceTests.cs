using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Tests.Conformance;
using AgentMesh.Testing;

namespace AgentMesh.Storage.Tests.Sqlite;

/// <summary>The conformance suite against a fresh SQLite file per test.</summary>
public sealed class SqliteStoreConformanceTests : StoreConformanceTests, IDisposable
{
    private readonly TempDirectory _directory = new("agentmesh-sqlite");

    protected override Task<IAgentMeshStore> CreateStoreAsync(FakeTimeProvider clock) => SqliteTestStores.CreateAsync(_directory, clock);

    // CreateStoreAsync's file: a second store on it has its own writer gate and pool, as another process would.
    protected override IAgentMeshStore OpenSecondStore(FakeTimeProvider clock) => SqliteTestStores.Open(_directory.Combine("agentmesh.db"), clock);

    public void Dispose() => _directory.Dispose();
}
