namespace AgentMesh.Grains;

/// <summary>
/// What the cluster's database allows a grain's turn: set by the silo host from the database, not by operators.
/// </summary>
public sealed class GrainStorageWrites
{
    /// <summary>
    /// Whether a turn may send two writes (a reminder and a state) at once, each on its own connection. True for
    /// PostgreSQL, where they then cost one round trip instead of two; false for SQLite, which takes one writer at a
    /// time, so the second would wait on the file's lock.
    /// </summary>
    public bool AtOnce { get; set; }
}
