namespace AgentMesh.Dashboard.Jobs;

/// <summary>
/// Starts work by hand, implemented by the node the way a webhook's "issue opened" does (the job's natural key,
/// so a webhook for the same issue later finds this job rather than making a second).
/// </summary>
public interface IJobCreation
{
    /// <summary>A job for an existing issue.</summary>
    Task<JobCreationResult> FromIssueAsync(string repo, int number, string actor, CancellationToken cancellationToken);

    /// <summary>Opens the issue on GitHub first, then makes its job.</summary>
    Task<JobCreationResult> WithNewIssueAsync(string repo, string title, string? body, string actor, CancellationToken cancellationToken);
}

/// <param name="JobId">The job made (or found); null when refused.</param>
/// <param name="Number">The issue's number.</param>
/// <param name="Error">Why it was refused; null when done.</param>
public sealed record JobCreationResult(string? JobId, int Number, string? Error)
{
    public bool Done => Error is null;

    public static JobCreationResult Refused(string reason) => new(null, 0, reason);
}

/// <summary>The job creation behind the tenant check, like <see cref="TenantGuardedJobActions"/>.</summary>
public sealed class TenantGuardedJobCreation(IJobCreation inner, Tenants.TenantGuard guard) : IJobCreation
{
    public async Task<JobCreationResult> FromIssueAsync(string repo, int number, string actor, CancellationToken cancellationToken) =>
        await guard.RefuseRepoAsync(repo, cancellationToken).ConfigureAwait(false) is { } refusal
            ? JobCreationResult.Refused(refusal)
            : await inner.FromIssueAsync(repo, number, actor, cancellationToken).ConfigureAwait(false);

    public async Task<JobCreationResult> WithNewIssueAsync(string repo, string title, string? body, string actor, CancellationToken cancellationToken) =>
        await guard.RefuseRepoAsync(repo, cancellationToken).ConfigureAwait(false) is { } refusal
            ? JobCreationResult.Refused(refusal)
            : await inner.WithNewIssueAsync(repo, title, body, actor, cancellationToken).ConfigureAwait(false);
}
