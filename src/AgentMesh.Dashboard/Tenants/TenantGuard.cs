using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Components.Authorization;

namespace AgentMesh.Dashboard.Tenants;

/// <summary>
/// The circuit's person and their scope, asked before every action: a job or repo outside the scope is answered
/// as if it did not exist, so another tenant learns nothing from the refusal.
/// </summary>
public sealed class TenantGuard(AuthenticationStateProvider authentication, TenantScopes scopes, IAgentMeshStore store)
{
    /// <summary>Null when the person may act on the job's repo, else the refusal.</summary>
    public async Task<string?> RefuseJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        if (!scope.IsRestricted)
        {
            return null;
        }
        var record = await store.Jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        return record is not null && scope.Allows(record.Repo) ? null : $"Job {jobId} does not exist.";
    }

    /// <summary>Null when the person may act on <paramref name="repo"/>, else the refusal.</summary>
    public async Task<string?> RefuseRepoAsync(string repo, CancellationToken cancellationToken) =>
        (await ScopeAsync(cancellationToken).ConfigureAwait(false)).Allows(repo) ? null : $"Repo {repo} is not one of your tenant's repos.";

    private async Task<TenantScope> ScopeAsync(CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync().ConfigureAwait(false);
        return await scopes.ForAsync(state.User, cancellationToken).ConfigureAwait(false);
    }
}
