using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Tests;

/// <summary>Claims and counts for tests whose subject is a job's claim itself, not its repo's run slots.</summary>
internal static class JobStoreClaims
{
    /// <summary>A claim that no repo limit refuses: with <see cref="int.MaxValue"/> slots the repo counted never fills.</summary>
    public static async Task<ClaimedJob?> TryClaimUnlimitedAsync(this IJobStore jobs, string jobId, string owner) =>
        (await jobs.TryClaimAsync(jobId, owner, "any/repo", int.MaxValue)).Claimed;

    /// <summary>How many of <paramref name="repo"/>'s jobs hold a claim, read as the claim counts them (the name ignoring letter case).</summary>
    public static async Task<int> HeldCountAsync(this IJobStore jobs, string repo) =>
        (await jobs.ListAsync(new JobQuery(Repo: repo, Limit: 1_000))).Count(j => j.LeaseOwner is not null);
}
