namespace AgentMesh.Dashboard.Auth;

/// <summary>The dashboard's roles (claim <see cref="System.Security.Claims.ClaimTypes.Role"/>) and the policies built on them.</summary>
public static class DashboardRoles
{
    /// <summary>Everything, including minting sign-in links for other people.</summary>
    public const string Admin = "admin";

    /// <summary>Steers jobs: move, stop, retry, chat.</summary>
    public const string Maintainer = "maintainer";

    /// <summary>Reads only.</summary>
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Maintainer, Viewer];

    public static bool IsKnown(string? role) => role is Admin or Maintainer or Viewer;
}

/// <summary>Authorization policy names; every page and every action names one.</summary>
public static class DashboardPolicies
{
    /// <summary>Any signed-in person with a dashboard role: every page.</summary>
    public const string Read = "dashboard.read";

    /// <summary>Admins and maintainers: actions that change a job.</summary>
    public const string Act = "dashboard.act";

    /// <summary>Admins only.</summary>
    public const string Admin = "dashboard.admin";
}
