using AgentMesh.Grains.Abstractions.Repos;
using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Server.Actors;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>
/// How a worker slot (or <c>agentmesh run</c>) gets a job to run: the claimable jobs come from the job index,
/// best first (priority, then due time, then age), and each job's repo grain decides whether the repo has a
/// run slot for it and claims it. A repo found full is skipped for the rest of the pass.
/// </summary>
public sealed class RunClaimer(IAgentMeshStore store, RepoActor repos, IGrainFactory grains)
{
    /// <summary>
    /// How many claimable jobs a pass reads. Jobs of full repos are skipped, so a backlog of this many jobs of
    /// full repos ahead of a free repo's job would leave that job to the next wake-up; far above what one store
    /// holds claimable at once in practice.
    /// </summary>
    public const int CandidatesPerPass = 1_000;

    /// <summary>Claims the best job some repo has a run slot for, or null when none can run now.</summary>
    public async Task<AgentRunTicket?> ClaimNextAsync(string owner, CancellationToken cancellationToken)
    {
        var candidates = await store.Jobs.ListClaimableAsync(CandidatesPerPass, cancellationToken).ConfigureAwait(false);
        var full = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var job in candidates)
        {
            if (full.Contains(job.Repo))
            {
                continue;
            }
            var claim = await ClaimAsync(job.Id, job.Repo, owner, cancellationToken).ConfigureAwait(false);
            switch (claim.Outcome)
            {
                case RunClaimOutcome.Claimed:
                    return claim.Ticket;
                case RunClaimOutcome.RepoFull:
                    full.Add(job.Repo);
                    break;
            }
        }
        return null;
    }

    /// <summary>
    /// Asks the job's repo grain (by the repo's configured name, whatever the job's letter case) to claim the job.
    /// A claim whose answer was lost in transit (a silo leaving the cluster, <see cref="GrainCallRetry"/>) may have been
    /// made: before asking again, the job's row says whether <paramref name="owner"/> holds it already. A slot claims
    /// only while it runs nothing, so a job its owner holds is exactly that claim. Either way the ticket carries the
    /// job's row as claimed (from the claim's answer, or from that read), so the run does not read it again.
    /// </summary>
    public async Task<RunClaim> ClaimAsync(string jobId, string repo, string owner, CancellationToken cancellationToken)
    {
        var configured = await repos.ConfiguredNameAsync(repo, cancellationToken).ConfigureAwait(false);
        var asked = false;
        return await GrainCallRetry.Pipeline.ExecuteAsync(
            async token =>
            {
                if (asked && await store.Jobs.GetAsync(jobId, token).ConfigureAwait(false) is { } job && job.LeaseOwner == owner)
                {
                    return new RunClaim(RunClaimOutcome.Claimed, RunTickets.Of(job));
                }
                asked = true;
                return await grains.GetGrain<IRepoGrain>(configured).TryClaimRunAsync(jobId, owner).WaitAsync(token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
