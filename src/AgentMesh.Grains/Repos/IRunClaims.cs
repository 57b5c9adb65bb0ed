using AgentMesh.Grains.Abstractions.Workers;

namespace AgentMesh.Grains.Repos;

/// <summary>
/// The store's side of a repo's run slots, implemented by the node: how many of the repo's jobs hold a claim,
/// and the claim of one named job (a conditional write on the job's row, which also raises its fence).
/// </summary>
public interface IRunClaims
{
    Task<int> CountHeldAsync(string repo);

    /// <summary>Claims the job for <paramref name="owner"/> if it is claimable now; null otherwise.</summary>
    Task<AgentRunTicket?> TryClaimAsync(string jobId, string owner);
}
