namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// The durable store the actor model runs on: one contract, two backends (SQLite for one node,
/// PostgreSQL for a fleet). It is a set of narrow role interfaces; each subsystem takes only the
/// role it needs. Every guarantee here is one a SQL transaction gives.
/// </summary>
public interface IAgentMeshStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string ProviderName { get; }

    /// <summary>
    /// Applies pending versioned migrations. Safe when several nodes start at once: one applies,
    /// the others wait and find nothing left to do.
    /// </summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the store answers and all migrations this build knows are applied.</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default);

    IActorStore Actors { get; }

    IJobStore Jobs { get; }

    IJobLog Logs { get; }

    IJobHistory History { get; }

    IOutbox Outbox { get; }

    IHeldWorkStore HeldWork { get; }

    /// <summary>Tokens, cost and runs per repository per hour (the dashboard's usage read model).</summary>
    IUsageStore Usage { get; }

    /// <summary>ASP.NET Core Data Protection's key ring, shared by every node of the store (dashboard sign-ins).</summary>
    IDataProtectionKeyStore DataProtectionKeys { get; }
}

/// <param name="Reachable">The store answered a query.</param>
/// <param name="SchemaVersion">The highest applied migration, 0 when none.</param>
/// <param name="ExpectedSchemaVersion">The highest migration this build carries.</param>
/// <param name="Error">Why it is not reachable, when it is not.</param>
public sealed record StoreHealth(bool Reachable, int SchemaVersion, int ExpectedSchemaVersion, string? Error)
{
    public bool Ready => Reachable && SchemaVersion == ExpectedSchemaVersion;
}
