namespace AgentMesh.Server.Reconciliation;

/// <summary>
/// How often a node catches up with what happened on GitHub while no node was listening
/// (section <c>Reconciliation</c>). Every node runs the passes; the job actor makes that safe.
/// </summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>Time between passes over the open jobs; the first pass runs at start. Default 5 min.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Time between checks for repository invitations, in token mode only; the first check runs at
    /// start. Default 60 s.
    /// </summary>
    public TimeSpan InvitationInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Open jobs read from the store per page while a pass lists them. Default 100.</summary>
    public int PageSize { get; set; } = 100;
}
