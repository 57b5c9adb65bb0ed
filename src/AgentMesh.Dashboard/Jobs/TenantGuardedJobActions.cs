using AgentMesh.Dashboard.Tenants;

namespace AgentMesh.Dashboard.Jobs;

/// <summary>
/// The node's job actions behind the tenant check: what a page sends on a circuit is the browser's to forge, so
/// the action itself refuses a job of another tenant, whatever the page showed.
/// </summary>
public sealed class TenantGuardedJobActions(IJobActions inner, TenantGuard guard) : IJobActions
{
    public Task<JobActionResult> StopAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        GuardAsync(jobId, () => inner.StopAsync(jobId, actor, cancellationToken), cancellationToken);

    public Task<JobActionResult> RetryAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        GuardAsync(jobId, () => inner.RetryAsync(jobId, actor, cancellationToken), cancellationToken);

    public Task<JobActionResult> CloseAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        GuardAsync(jobId, () => inner.CloseAsync(jobId, actor, cancellationToken), cancellationToken);

    public Task<JobActionResult> SendMessageAsync(string jobId, string author, string text, bool interrupt, CancellationToken cancellationToken) =>
        GuardAsync(jobId, () => inner.SendMessageAsync(jobId, author, text, interrupt, cancellationToken), cancellationToken);

    private async Task<JobActionResult> GuardAsync(string jobId, Func<Task<JobActionResult>> action, CancellationToken cancellationToken) =>
        await guard.RefuseJobAsync(jobId, cancellationToken).ConfigureAwait(false) is { } refusal
            ? JobActionResult.Refused(refusal)
            : await action().ConfigureAwait(false);
}
