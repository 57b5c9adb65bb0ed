namespace AgentMesh.Core.Tenants;

/// <summary>What a member of a tenant may do, lowest first (a higher role may do all a lower one may).</summary>
public enum TenantRole
{
    /// <summary>Sees the tenant's board and jobs; changes nothing.</summary>
    Viewer,

    /// <summary>Also steers the tenant's jobs: creates, moves, stops and re-runs them, chats with agents.</summary>
    Maintainer,

    /// <summary>Also configures the tenant's repos, budgets and members.</summary>
    Admin,
}
