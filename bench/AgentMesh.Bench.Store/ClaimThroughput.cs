using System.Diagnostics;
using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;

namespace AgentMesh.Bench.Store;

internal sealed record ThroughputResult(Backend Backend, int Claimers, int Jobs, TimeSpan Elapsed)
{
    public double JobsPerSecond => Jobs / Elapsed.TotalSeconds;
}

/// <summary>
/// Claim-and-complete of no-op jobs: each claimer loops claim → one turn to <c>merged</c> releasing the lease,
/// until nothing is claimable. A claim reads the best claimable jobs and claims the first one no other claimer
/// took (the store's part of a worker slot's claim: the claim statement counts the repo's held jobs, with a limit
/// no repo reaches, so it never refuses for a full repo). What is measured is the claimable read, the claim
/// statement, the turn transaction and commits. Enqueueing and the
/// ANALYZE after it are not timed.
/// </summary>
internal static class ClaimThroughput
{
    private const int Repos = 64;

    public static async Task<ThroughputResult> RunAsync(Backend backend, int jobs, int claimers)
    {
        await using var bench = await BenchStore.CreateAsync(backend);
        var store = bench.Store;
        for (var i = 0; i < jobs; i++)
        {
            await store.Jobs.EnqueueAsync(new NewJob(null, $"bench/{i % Repos}", $"bench#{i}", "noop", "{}"));
        }

        await bench.AnalyzeAsync();

        var completed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, claimers).Select(n => Task.Run(async () =>
        {
            while (await ClaimOneAsync(store, $"claimer-{n}") is { } claimed)
            {
                await store.Jobs.TurnAsync(claimed.Job.Id, claimed.Lease, job => new JobChange(JobState.Merged, job.DataJson, [], [], ReleaseLease: true));
                Interlocked.Increment(ref completed);
            }
        })));
        clock.Stop();
        if (completed != jobs)
        {
            throw new InvalidOperationException($"{backend} with {claimers} claimers completed {completed} of {jobs} jobs.");
        }
        return new ThroughputResult(backend, claimers, jobs, clock.Elapsed);
    }

    private static async Task<ClaimedJob?> ClaimOneAsync(IAgentMeshStore store, string owner)
    {
        while (await store.Jobs.ListClaimableAsync(16) is { Count: > 0 } candidates)
        {
            foreach (var candidate in candidates)
            {
                if ((await store.Jobs.TryClaimAsync(candidate.Id, owner, candidate.Repo, repoLimit: int.MaxValue)).Claimed is { } claimed)
                {
                    return claimed;
                }
            }
        }
        return null;
    }
}
