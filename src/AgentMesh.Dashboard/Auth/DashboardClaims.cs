namespace AgentMesh.Dashboard.Auth;

/// <summary>The dashboard's own claim types, next to <see cref="System.Security.Claims.ClaimTypes.Name"/> and <see cref="System.Security.Claims.ClaimTypes.Role"/>.</summary>
public static class DashboardClaims
{
    /// <summary>The tenant (GitHub account login) whose repos the person sees; absent for admins and sign-in links.</summary>
    public const string Tenant = "agentmesh:tenant";

    /// <summary>How the person signed in: <c>link</c> or <c>github</c>.</summary>
    public const string Method = "agentmesh:signin";
}
