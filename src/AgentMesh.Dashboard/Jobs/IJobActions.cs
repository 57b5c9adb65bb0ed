namespace AgentMesh.Dashboard.Jobs;

/// <summary>
/// What a person may do to a job, implemented by the node over the same job actor path the admin
/// API uses, so the state machine refuses an illegal command with the domain's reason.
/// </summary>
public interface IJobActions
{
    Task<JobActionResult> StopAsync(string jobId, string actor, CancellationToken cancellationToken);

    /// <summary>Re-runs a failed or stopped job (a new run from attempt 1).</summary>
    Task<JobActionResult> RetryAsync(string jobId, string actor, CancellationToken cancellationToken);

    /// <summary>Closes the job as if its issue were closed, then closes the issue on GitHub (idempotent).</summary>
    Task<JobActionResult> CloseAsync(string jobId, string actor, CancellationToken cancellationToken);

    /// <summary>Posts a chat message to the running agent; with <paramref name="interrupt"/> the agent is interrupted first.</summary>
    Task<JobActionResult> SendMessageAsync(string jobId, string author, string text, bool interrupt, CancellationToken cancellationToken);
}

/// <param name="Error">The reason it was refused or failed; null when done.</param>
public sealed record JobActionResult(bool Done, string? Error)
{
    public static JobActionResult Ok { get; } = new(true, null);

    public static JobActionResult Refused(string reason) => new(false, reason);
}
