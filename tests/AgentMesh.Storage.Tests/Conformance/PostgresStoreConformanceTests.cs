using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;

namespace AgentMesh.Storage.Tests.Conformance;

/// <summary>The conformance suite on PostgreSQL: a fresh database of the test server per test.</summary>
public sealed class PostgresStoreConformanceTests : StoreConformanceTests
{
    protected override async Task<IAgentMeshStore> CreateStoreAsync(FakeTimeProvider clock) => await PostgresTestStore.CreateAsync(clock);

    protected override IAgentMeshStore OpenSecondStore(FakeTimeProvider clock) =>
        PostgresTestStore.Open(PostgresTestStore.ConnectionStringOf((Storage.Postgres.PostgresStore)Store), clock);
}
