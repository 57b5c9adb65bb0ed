namespace AgentMesh.Grains.Repos;

/// <summary>
/// The job index's side of a repo's run slots, implemented by the node: how many of the repo's jobs hold a claim.
/// (The claim of one job is its job grain's: <c>IJobGrain.ClaimRunAsync</c>.)
/// </summary>
public interface IRunClaims
{
    Task<int> CountHeldAsync(string repo);
}
