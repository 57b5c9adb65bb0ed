using AgentMesh.Core;

namespace AgentMesh.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store (one node, one database file).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file. Created, with its WAL files beside it, when missing. Required.</summary>
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>
    /// How long a write waits for another process holding the file's write lock before failing
    /// (SQLite <c>busy_timeout</c>; Microsoft.Data.Sqlite's own busy retry rounds it up to whole
    /// seconds). Default: 5 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether every commit waits for an fsync (<c>PRAGMA synchronous = FULL</c>): a committed write then survives a
    /// power cut. False: <c>NORMAL</c>, which in WAL mode keeps every commit when the process is killed and can lose
    /// the last commits only to an operating-system crash or power cut. Default true; the node sets it from
    /// <c>Silo:SqliteFullSync</c>, so this file and the silo's <c>orleans.db</c> are equally durable.
    /// </summary>
    public bool FullSync { get; set; } = true;

    /// <summary>Every problem with these settings, one sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            problems.Add("DatabasePath must name the SQLite database file.");
        }
        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"BusyTimeout must be greater than 0 and at most 10 minutes (was {BusyTimeout}).");
        }
        return problems;
    }

    /// <summary>Throws <see cref="InvalidConfigurationException"/> listing every problem, if there is any.</summary>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new InvalidConfigurationException(nameof(SqliteStoreOptions), problems);
        }
    }
}
