namespace AgentMesh.Grains;

/// <summary>The names under which the silo host registers the providers grains use.</summary>
public static class GrainStorage
{
    /// <summary>ADO.NET grain storage for AgentMesh's grains (SQLite on one node, PostgreSQL in a fleet).</summary>
    public const string Name = "agentmesh";

    /// <summary>The memory stream provider for live views (logs, the board).</summary>
    public const string StreamProvider = "live";
}
