using AgentMesh.Server.Actors;
using AgentMesh.Server.Api.Jobs;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api.Stats;

/// <summary><c>/api/stats</c>: jobs by repo and state, tokens and cost by repo, success rate.</summary>
/// <remarks>
/// For now the numbers come from a full scan of the jobs table in pages (fine for thousands of
/// jobs, not for millions); a per-repo, per-day usage table is the planned replacement. Purged
/// jobs no longer count.
/// </remarks>
public static class StatsEndpoints
{
    private const int PageSize = 500;

    public static RouteGroupBuilder MapStats(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/stats", GetAsync).WithTags("Stats").WithName("GetStats")
            .WithSummary("Jobs by repo and state, tokens and cost by repo, success rate (full scan).");
        return api;
    }

    private static async Task<Ok<StatsReport>> GetAsync(IAgentMeshStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var jobs = new Dictionary<string, JobSummary>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await store.Jobs.ListAsync(new JobQuery(Limit: PageSize, Offset: offset), cancellationToken).ConfigureAwait(false);
            foreach (var record in page)
            {
                // Offsets shift when jobs are created during the scan; keying by id counts each job once.
                jobs.TryAdd(record.Id, JobSummary.From(record, JobActor.Deserialize(record.DataJson)));
            }
            if (page.Count < PageSize)
            {
                break;
            }
        }
        return TypedResults.Ok(StatsCalculator.Compute(jobs.Values, timeProvider.GetUtcNow()));
    }
}
