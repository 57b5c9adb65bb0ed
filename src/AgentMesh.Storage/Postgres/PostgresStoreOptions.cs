using AgentMesh.Core;

namespace AgentMesh.Storage.Postgres;

/// <summary>Settings of the PostgreSQL store (<see cref="PostgresStore"/>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The Npgsql connection string. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// How often the change feed sends every subscriber a <c>Resync</c> even when no notification came, so a
    /// lost NOTIFY never hides a change for longer than this. Default 2 seconds.
    /// </summary>
    public TimeSpan ChangeFeedPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the change feed waits before reconnecting its LISTEN connection after it dropped. Default 1 second.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The LISTEN/NOTIFY channel shared by every node on the database. Default <c>agentmesh_changes</c>.</summary>
    public string NotifyChannel { get; set; } = "agentmesh_changes";

    /// <summary>Returns every problem with these options, one sentence each, or none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("ConnectionString is required.");
        }
        if (ChangeFeedPollInterval <= TimeSpan.Zero)
        {
            problems.Add($"ChangeFeedPollInterval must be positive (was {ChangeFeedPollInterval}).");
        }
        if (ReconnectDelay < TimeSpan.Zero)
        {
            problems.Add($"ReconnectDelay must not be negative (was {ReconnectDelay}).");
        }
        // The channel is an SQL identifier in LISTEN: keep it to a plain lower-case name.
        if (string.IsNullOrEmpty(NotifyChannel) || NotifyChannel.Length > 63
            || !NotifyChannel.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            || NotifyChannel[0] is >= '0' and <= '9')
        {
            problems.Add($"NotifyChannel must be 1-63 characters of a-z, 0-9 and _, not starting with a digit (was '{NotifyChannel}').");
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
