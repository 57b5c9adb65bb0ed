using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Tests.Conformance;
using AgentMesh.Testing;

namespace AgentMesh.Storage.Tests.Sqlite;

/// <summary>The conformance suite against a fresh SQLite file per test.</summary>
public sealed class SqliteStoreConformanceTests : StoreConformanceTests, IDisposable
{
    private readonly TempDirectory _directory = new("agentmesh-sqlite");

    protected override Task<IAgentMeshStore> CreateStoreAsync(FakeTimeProvider clock) => SqliteTestStores.CreateAsync(_directory, clock);

    public void Dispose() => _directory.Dispose();
}
