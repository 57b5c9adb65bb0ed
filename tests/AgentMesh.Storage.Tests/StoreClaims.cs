using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Tests;

/// <summary>
/// A worker slot's claim as far as the store goes: the best claimable job that no other claimer took first. (A
/// node also asks the job's repo grain for a run slot in between; these tests are about the store alone.)
/// </summary>
internal static class StoreClaims
{
    /// <summary>Claims the best claimable job for <paramref name="owner"/>, or null when none is claimable.</summary>
    public static async Task<ClaimedJob?> ClaimNextAsync(this IJobStore jobs, string owner)
    {
        while (await jobs.ListClaimableAsync(8) is { Count: > 0 } candidates)
        {
            foreach (var candidate in candidates)
            {
                if (await jobs.TryClaimAsync(candidate.Id, owner) is { } claimed)
                {
                    return claimed;
                }
            }
        }
        return null;
    }
}
