namespace AgentMesh.Server.Api;

/// <summary>The admin REST API's settings. Bound from the <c>Admin</c> configuration section.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Shortest token accepted, so a guessable one cannot be configured by mistake.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>
    /// The bearer token admin requests must carry (<c>Authorization: Bearer …</c>). Set it in the
    /// environment (<c>AGENTMESH_Admin__Token</c>), never on the command line. Default: none, and
    /// then the admin API answers 503: it is never open by default.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>True when a token is configured (an empty value counts as none).</summary>
    public bool HasToken => !string.IsNullOrEmpty(Token);
}
