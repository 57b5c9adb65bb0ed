namespace AgentMesh.Core.Tenants;

/// <summary>What a member of a tenant may do.</summary>
public enum TenantRole
{
    /// <summary>Sees the board and jobs, chats with agents, stops and re-runs jobs.</summary>
    Member,

    /// <summary>Also configures repos, budgets and members.</summary>
    Admin,
}
