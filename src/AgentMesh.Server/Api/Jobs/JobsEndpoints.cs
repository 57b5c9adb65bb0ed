using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Server.Actors;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api.Jobs;

/// <summary><c>/api/jobs</c>: list and filter, one job in full, stop, retry, bulk status change, purge.</summary>
public static class JobsEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxBulkIds = 500;
    public const int MaxPurgeDays = 36_500;

    public static RouteGroupBuilder MapJobs(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListAsync).WithName("ListJobs").WithSummary("Lists jobs, newest first, filtered by repo and state.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        jobs.MapGet("/{id}", GetAsync).WithName("GetJob").WithSummary("One job with the actor's full state.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id}/retry", RetryAsync).WithName("RetryJob").WithSummary("Re-runs a finished job (a new run from attempt 1).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/{id}/stop", StopAsync).WithName("StopJob").WithSummary("Stops a job; its worker's lease is released. Stopping a stopped job changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/bulk-status", BulkStatusAsync).WithName("BulkJobStatus").WithSummary("Stops, retries or closes several jobs; reports per job.")
            .Accepts<BulkStatusRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        jobs.MapDelete("/", PurgeAsync).WithName("PurgeJobs").WithSummary("Deletes finished jobs last updated more than olderThanDays ago.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<Results<Ok<JobListPage>, ProblemHttpResult>> ListAsync(
        string? repo,
        string? state,
        string? limit,
        string? offset,
        IAgentMeshStore store,
        CancellationToken cancellationToken)
    {
        if (repo is not null && !RepoName.IsValid(repo))
        {
            return ApiProblems.BadRequest($"repo must be 'owner/name' (was '{repo}').");
        }
        if (!TryParseStates(state, out var states, out var stateProblem))
        {
            return stateProblem!;
        }
        if (!QueryParameters.TryInt(limit, nameof(limit), DefaultLimit, 1, MaxLimit, out var take, out var problem)
            || !QueryParameters.TryInt(offset, nameof(offset), 0, 0, int.MaxValue - MaxLimit - 1, out var skip, out problem))
        {
            return problem!;
        }

        // One more than asked tells whether another page exists without a count query.
        var records = await store.Jobs.ListAsync(new JobQuery(repo, states, take + 1, skip), cancellationToken).ConfigureAwait(false);
        var items = records.Take(take).Select(r => JobSummary.From(r, JobActor.Deserialize(r.DataJson))).ToList();
        return TypedResults.Ok(new JobListPage(items, take, skip, records.Count > take));
    }

    private static async Task<Results<Ok<JobDetail>, ProblemHttpResult>> GetAsync(string id, JobActor actor, CancellationToken cancellationToken)
    {
        if (await actor.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return ApiProblems.JobNotFound(id);
        }
        var (record, state) = found;
        return TypedResults.Ok(new JobDetail(
            JobSummary.From(record, state),
            record.NaturalKey,
            record.Priority,
            record.ClaimedAt,
            record.Fence,
            record.Version,
            state));
    }

    private static async Task<Results<Accepted<JobSummary>, ProblemHttpResult>> RetryAsync(string id, JobAdminService admin, CancellationToken cancellationToken)
    {
        var outcome = await admin.ApplyAsync(id, JobAdminAction.Retry, cancellationToken).ConfigureAwait(false);
        return outcome.Status == JobActionStatus.Done
            ? TypedResults.Accepted($"/api/jobs/{Uri.EscapeDataString(id)}", outcome.Job!)
            : ToProblem(outcome);
    }

    private static async Task<Results<Ok<JobSummary>, ProblemHttpResult>> StopAsync(string id, JobAdminService admin, CancellationToken cancellationToken)
    {
        var outcome = await admin.ApplyAsync(id, JobAdminAction.Stop, cancellationToken).ConfigureAwait(false);
        return outcome.Status == JobActionStatus.Done ? TypedResults.Ok(outcome.Job!) : ToProblem(outcome);
    }

    private static async Task<Results<Ok<BulkStatusResponse>, ProblemHttpResult>> BulkStatusAsync(
        HttpRequest request,
        JobAdminService admin,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<BulkStatusRequest>(request, CoreJson.Options, "a bulk status request", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }
        if (!TryParseAction(body!.Action, out var action))
        {
            return ApiProblems.BadRequest($"action must be 'stop', 'retry' or 'close' (was '{body.Action}').");
        }
        if (body.Ids is not { Count: > 0 } ids || ids.Any(string.IsNullOrWhiteSpace))
        {
            return ApiProblems.BadRequest("ids must be a non-empty list of job ids, with no blank ones.");
        }
        if (ids.Count > MaxBulkIds)
        {
            return ApiProblems.BadRequest($"ids may name at most {MaxBulkIds} jobs (was {ids.Count}).");
        }

        // One turn per job, one after another: each job's outcome is independent of the others'.
        var results = new List<BulkStatusItem>(ids.Count);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var outcome = await admin.ApplyAsync(id, action, cancellationToken).ConfigureAwait(false);
            results.Add(new BulkStatusItem(id, outcome.Status == JobActionStatus.Done, outcome.Job?.State, outcome.Error));
        }
        var succeeded = results.Count(r => r.Ok);
        return TypedResults.Ok(new BulkStatusResponse(action, succeeded, results.Count - succeeded, results));
    }

    private static async Task<Results<Ok<PurgeResponse>, ProblemHttpResult>> PurgeAsync(
        string? olderThanDays,
        IAgentMeshStore store,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (olderThanDays is null)
        {
            return ApiProblems.BadRequest("olderThanDays is required: finished jobs last updated more than that many days ago are deleted.");
        }
        if (!QueryParameters.TryInt(olderThanDays, nameof(olderThanDays), 0, 0, MaxPurgeDays, out var days, out var problem))
        {
            return problem!;
        }
        var cutoff = timeProvider.GetUtcNow().AddDays(-days);
        var purged = await store.Jobs.PurgeTerminalAsync(cutoff, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new PurgeResponse(purged, cutoff));
    }

    private static ProblemHttpResult ToProblem(JobActionOutcome outcome) =>
        outcome.Status == JobActionStatus.NotFound
            ? ApiProblems.NotFound(outcome.Error!)
            : ApiProblems.Conflict(outcome.Error!);

    private static bool TryParseStates(string? raw, out IReadOnlyList<JobState>? states, out ProblemHttpResult? problem)
    {
        states = null;
        problem = null;
        if (raw is null)
        {
            return true;
        }
        var parsed = new List<JobState>();
        foreach (var name in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                parsed.Add(JobStateNames.Parse(name));
            }
            catch (FormatException)
            {
                var known = string.Join(", ", Enum.GetValues<JobState>().Select(s => s.ToWire()));
                problem = ApiProblems.BadRequest($"state has '{name}', which is not a job state; known states: {known}.");
                return false;
            }
        }
        if (parsed.Count == 0)
        {
            problem = ApiProblems.BadRequest("state must name at least one job state (comma-separated).");
            return false;
        }
        states = parsed;
        return true;
    }

    private static bool TryParseAction(string? raw, out JobAdminAction action)
    {
        (var known, action) = raw switch
        {
            "stop" => (true, JobAdminAction.Stop),
            "retry" => (true, JobAdminAction.Retry),
            "close" => (true, JobAdminAction.Close),
            _ => (false, default),
        };
        return known;
    }
}
