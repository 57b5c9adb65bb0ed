using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Grains.Repos;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>The store's side of a repo grain's run slots: the held-job count and the claim of one job.</summary>
public sealed class RunClaims(IAgentMeshStore store) : IRunClaims
{
    public Task<int> CountHeldAsync(string repo) => store.Jobs.CountHeldAsync(repo);

    public async Task<AgentRunTicket?> TryClaimAsync(string jobId, string owner) =>
        await store.Jobs.TryClaimAsync(jobId, owner).ConfigureAwait(false) is { } claimed
            ? new AgentRunTicket(jobId, owner, claimed.Lease.Fence)
            : null;
}
