using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Tenants;
using AgentMesh.Grains.Abstractions.Tenants;
using AgentMesh.Server.Actors;

namespace AgentMesh.Server.Tenants;

/// <summary>The dashboard's tenants over <see cref="TenantService"/> (the admin API's path); usage from the repos' budget ledgers.</summary>
public sealed class DashboardTenants(TenantService tenants, RepoActor repos, TimeProvider time) : IDashboardTenants
{
    public async Task<IReadOnlyList<TenantSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await tenants.ListAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var summaries = new List<TenantSummary>(all.Count);
        foreach (var tenant in all)
        {
            long today = 0;
            foreach (var repo in tenant.Repos)
            {
                today += (await repos.GetAsync(repo.Repo, cancellationToken).ConfigureAwait(false))?.Ledger.UsedToday(now) ?? 0;
            }
            summaries.Add(new TenantSummary(tenant, today));
        }
        return summaries;
    }

    public async Task<IReadOnlyList<string>> ReposOfAsync(string account, CancellationToken cancellationToken) =>
        (await tenants.GetAsync(account, cancellationToken).ConfigureAwait(false))?.Repos.Select(r => r.Repo).ToList() ?? [];

    public async Task<TenantAccess?> ResolveAsync(string login, IReadOnlyList<string> organizations, CancellationToken cancellationToken) =>
        TenantAccess.Decide(await tenants.ListAsync(cancellationToken).ConfigureAwait(false), login, organizations);

    public async Task<TenantActionResult> CreateAsync(string account, CancellationToken cancellationToken) =>
        Result(await tenants.CreateAsync(account, cancellationToken).ConfigureAwait(false));

    public async Task<TenantActionResult> SetMemberAsync(string account, string login, TenantRole role, CancellationToken cancellationToken) =>
        Result(await tenants.SetMemberAsync(account, login, role, cancellationToken).ConfigureAwait(false));

    public async Task<TenantActionResult> RemoveMemberAsync(string account, string login, CancellationToken cancellationToken) =>
        Result(await tenants.RemoveMemberAsync(account, login, cancellationToken).ConfigureAwait(false));

    public async Task<TenantActionResult> MoveRepoAsync(string repo, string toAccount, CancellationToken cancellationToken) =>
        Result(await tenants.MoveRepoAsync(repo, toAccount, cancellationToken).ConfigureAwait(false));

    private static TenantActionResult Result(TenantChange change) => change.Done ? TenantActionResult.Ok : TenantActionResult.Refused(change.Error!);
}
