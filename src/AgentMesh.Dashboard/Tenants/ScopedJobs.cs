using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Dashboard.Tenants;

/// <summary>
/// The newest jobs a person may see. For a tenant it asks the store repo by repo, so a small tenant's jobs are not
/// crowded out of the snapshot by a busy one's; for everyone else it is one query.
/// </summary>
public static class ScopedJobs
{
    public static async Task<IReadOnlyList<JobRecord>> ListAsync(IJobStore jobs, TenantScope scope, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.IsRestricted)
        {
            return await jobs.ListAsync(new JobQuery(Limit: limit), cancellationToken).ConfigureAwait(false);
        }
        var all = new List<JobRecord>();
        foreach (var repo in scope.Repos)
        {
            all.AddRange(await jobs.ListAsync(new JobQuery(Repo: repo, Limit: limit), cancellationToken).ConfigureAwait(false));
        }
        // The store's own order, newest first by creation time then id, across the repos.
        return [.. all.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal).Take(limit)];
    }
}
