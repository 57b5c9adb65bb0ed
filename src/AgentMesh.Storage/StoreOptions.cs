namespace AgentMesh.Storage;

/// <summary>Which store a node uses. Bound from the <c>Store</c> configuration section.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary><c>sqlite</c> (default: one node, no set-up) or <c>postgres</c> (many nodes).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// SQLite: the database file; default <c>agentmesh.db</c> in the node's data directory.
    /// PostgreSQL: the connection string (required).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where the SQLite file lives when no connection string is given. Default <c>./.data</c>.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Returns the problems with these options, each naming the key, or none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        switch (Provider)
        {
            case "sqlite":
                if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(DataDirectory))
                {
                    problems.Add($"{SectionName}:DataDirectory must name a folder when {SectionName}:ConnectionString is empty.");
                }
                break;
            case "postgres":
                if (string.IsNullOrWhiteSpace(ConnectionString))
                {
                    problems.Add($"{SectionName}:ConnectionString is required when {SectionName}:Provider is 'postgres'.");
                }
                break;
            default:
                problems.Add($"{SectionName}:Provider must be 'sqlite' or 'postgres', not '{Provider}'.");
                break;
        }
        return problems;
    }

    /// <summary>The SQLite database file these options point at.</summary>
    public string SqliteDatabasePath =>
        string.IsNullOrWhiteSpace(ConnectionString)
            ? Path.GetFullPath(Path.Combine(DataDirectory, "agentmesh.db"))
            : Path.GetFullPath(ConnectionString);

    /// <summary>Where the store is, for people: the SQLite file, or the PostgreSQL host and database without credentials.</summary>
    public string Describe()
    {
        if (Provider != "postgres")
        {
            return $"sqlite at {SqliteDatabasePath}";
        }
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"postgres at {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
