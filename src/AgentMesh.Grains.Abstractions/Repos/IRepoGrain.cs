using AgentMesh.Core.Repos;

namespace AgentMesh.Grains.Abstractions.Repos;

/// <summary>
/// One repository AgentMesh may work on (key <c>owner/name</c>): its configuration, its token
/// budget ledger, and its run slots. A repo without state is not configured, and admission says so.
/// Admission itself is Core's pure decision over this state (the node-wide budget joins it there).
/// </summary>
public interface IRepoGrain : IGrainWithStringKey
{
    /// <summary>The configuration and ledger, or null when the repo was never configured.</summary>
    Task<RepoActorState?> GetAsync();

    /// <summary>Saves a (validated) configuration, keeping the ledger, and lists the repo in the directory.</summary>
    Task<RepoActorState> ConfigureAsync(RepoConfig config);

    /// <summary>Takes state over from the store of an earlier version, unless this grain has state already.</summary>
    Task<RepoActorState> ImportAsync(RepoActorState state);

    /// <summary>Forgets the repo; false when it had no state.</summary>
    Task<bool> DeleteAsync();

    /// <summary>Adds tokens a job of the repo spent to its hourly and daily windows (a no-op for an unconfigured repo).</summary>
    Task RecordUsageAsync(long tokens, DateTimeOffset at);

    /// <summary>
    /// Claims job <paramref name="jobId"/> of this repo for worker slot <paramref name="owner"/> if the repo runs
    /// fewer jobs than its configuration allows (<c>maxConcurrentJobs</c>; 1 for a repo no longer configured).
    /// One claim decision at a time per repo, across the cluster: two slots never both take the repo's last run slot.
    /// </summary>
    Task<RunClaim> TryClaimRunAsync(string jobId, string owner);
}
