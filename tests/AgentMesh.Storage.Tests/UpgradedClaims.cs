using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using Shouldly;

namespace AgentMesh.Storage.Tests;

/// <summary>What the upgrade tests of both backends check after migrating the jobs they seed.</summary>
internal static class UpgradedClaims
{
    /// <summary>
    /// 6→7: job <c>j1</c> of <c>octo/app</c>, held by <c>node-a/1</c> at fence 1 before the upgrade, still counts as held
    /// and cannot be claimed over; the run's owner and fence still rescue it with a turn, which gives the claim back.
    /// </summary>
    public static async Task ShouldStillBeRescuedAsync(IAgentMeshStore store, DateTimeOffset now)
    {
        (await store.Jobs.HeldCountAsync("octo/app")).ShouldBe(1);
        (await store.Jobs.TryClaimUnlimitedAsync("j1", "node-b/1")).ShouldBeNull();
        var rescued = await store.Jobs.TurnAsync("j1", new JobLease("j1", "node-a/1", 1), j => new JobChange(JobState.Queued, j.DataJson, [], [], ReleaseLease: true));
        (rescued.LeaseOwner, rescued.ClaimedAt, rescued.Fence).ShouldBe(((string?)null, (DateTimeOffset?)null, 2L));
        (await store.Jobs.HeldCountAsync("octo/app")).ShouldBe(0);
        (await store.Jobs.TryClaimUnlimitedAsync("j1", "node-b/1")).ShouldNotBeNull().Job.ClaimedAt.ShouldBe(now);
    }

    /// <summary>
    /// 8→9: the jobs seeded (two held in <c>octo/app</c>, one running and one a fix round; a free fix round and a
    /// queued job claimable; one job of <c>octo/other</c>, merged):
    /// the claims count per repo as before, held jobs are not claimable, and their runs' leases still write.
    /// </summary>
    public static async Task ShouldStillCountAndClaimAsync(IAgentMeshStore store)
    {
        (await store.Jobs.HeldCountAsync("octo/app")).ShouldBe(2);
        (await store.Jobs.HeldCountAsync("octo/other")).ShouldBe(0);
        // The claim's own count sees the claims made before the upgrade.
        (await store.Jobs.TryClaimAsync("queued", "node-c/1", "OCTO/APP", repoLimit: 2)).ShouldBe(ClaimAttempt.Full);
        (await store.Jobs.ListClaimableAsync(10)).Select(j => j.Id).ShouldBe(["fixing-free", "queued"]);
        (await store.Jobs.TryClaimUnlimitedAsync("running", "node-c/1")).ShouldBeNull();
        (await store.Jobs.TryClaimUnlimitedAsync("fixing-held", "node-c/1")).ShouldBeNull();
        var released = await store.Jobs.TurnAsync("running", new JobLease("running", "node-a/1", 1), j => new JobChange(JobState.PrOpened, j.DataJson, [], [], ReleaseLease: true));
        (released.LeaseOwner, released.Fence).ShouldBe(((string?)null, 2L));
        (await store.Jobs.HeldCountAsync("octo/app")).ShouldBe(1);
        var claimed = (await store.Jobs.TryClaimUnlimitedAsync("fixing-free", "node-c/1")).ShouldNotBeNull();
        (claimed.Job.State, claimed.Lease.Fence, claimed.Job.Version).ShouldBe((JobState.Fixing, 5L, 7L));
        (await store.Jobs.HeldCountAsync("OCTO/APP")).ShouldBe(2);
    }
}
