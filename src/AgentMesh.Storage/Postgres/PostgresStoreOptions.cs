using AgentMesh.Core;

namespace AgentMesh.Storage.Postgres;

/// <summary>Settings of the PostgreSQL store (<see cref="PostgresStore"/>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The Npgsql connection string. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Returns every problem with these options, one sentence each, or none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("ConnectionString is required.");
        }
        return problems;
    }

    /// <summary>Throws <see cref="InvalidConfigurationException"/> listing every problem, or returns these options.</summary>
    public PostgresStoreOptions EnsureValid()
    {
        var problems = Validate();
        return problems.Count == 0 ? this : throw new InvalidConfigurationException(nameof(PostgresStoreOptions), problems);
    }
}
