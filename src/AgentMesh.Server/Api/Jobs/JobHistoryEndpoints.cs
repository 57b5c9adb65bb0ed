using System.Text.Json;
using AgentMesh.Core.Jobs;
using AgentMesh.Guardrails.Audit;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>
/// <c>/api/jobs/{id}/logs</c> and <c>/api/jobs/{id}/events</c>: read by sequence number, or the tail;
/// <c>/api/jobs/{id}/audit</c>: the audit of each run (the <c>run_audit</c> events).
/// </summary>
public static class JobHistoryEndpoints
{
    public const int DefaultLogLimit = 1000;
    public const int MaxLogLimit = 5000;
    public const int DefaultEventLimit = 200;
    public const int MaxEventLimit = 1000;

    public static RouteGroupBuilder MapJobHistory(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/{id}/logs", LogsAsync).WithName("GetJobLogs")
            .WithSummary("Log lines after a sequence number (after, limit), or the last lines (tail).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id}/events", EventsAsync).WithName("GetJobEvents")
            .WithSummary("The job's event history after a sequence number.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id}/audit", AuditAsync).WithName("GetJobAudit")
            .WithSummary("The audit trail of each run: tool calls (command lines, files read and written), files changed, people involved.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<JobAuditPage>, ProblemHttpResult>> AuditAsync(string id, IAgentMeshStore store, CancellationToken cancellationToken)
    {
        if (await store.Jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.JobNotFound(id);
        }
        // A job's history is bounded (runs × events per run), so the audit reads it whole.
        var runs = new List<JobRunAudit>();
        var after = 0L;
        while (true)
        {
            var events = await store.History.ReadAsync(id, after, MaxEventLimit, cancellationToken).ConfigureAwait(false);
            foreach (var e in events)
            {
                if (e.Type == Worker.JobExecution.RunAuditEventType)
                {
                    runs.Add(new JobRunAudit(e.Sequence, e.At, Worker.JobExecution.ReadAudit(e.DataJson)));
                }
                else if (e.Type == "approval_granted"
                    && JsonSerializer.Deserialize<AgentMesh.Core.Jobs.Events.JobEvent>(e.DataJson, AgentMesh.Core.CoreJson.Options) is AgentMesh.Core.Jobs.Events.ApprovalGranted granted
                    && runs.FindLastIndex(r => r.Audit.Run == granted.Run) is var index and >= 0)
                {
                    // The approval comes after the run's audit was stored: it joins that run's people here.
                    var audit = runs[index].Audit;
                    runs[index] = runs[index] with { Audit = audit with { People = [.. audit.People, new AuditPersonAction(granted.By, AuditRole.Approved, granted.At)] } };
                }
            }
            if (events.Count < MaxEventLimit)
            {
                break;
            }
            after = events[^1].Sequence;
        }
        return TypedResults.Ok(new JobAuditPage(id, runs));
    }

    private static async Task<Results<Ok<JobLogPage>, ProblemHttpResult>> LogsAsync(
        string id,
        string? after,
        string? limit,
        string? tail,
        IAgentMeshStore store,
        CancellationToken cancellationToken)
    {
        if (tail is not null && (after is not null || limit is not null))
        {
            return ApiProblems.BadRequest("tail cannot be combined with after or limit: ask for the last lines, or for lines after a sequence number.");
        }
        if (!QueryParameters.TryLong(after, nameof(after), 0, 0, long.MaxValue, out var afterSequence, out var problem)
            || !QueryParameters.TryInt(limit, nameof(limit), DefaultLogLimit, 1, MaxLogLimit, out var take, out problem)
            || !QueryParameters.TryInt(tail, nameof(tail), 0, 1, MaxLogLimit, out var tailCount, out problem))
        {
            return problem!;
        }

        // The state is read before the lines, so a terminal state means every line is in this page or an earlier one.
        if (await store.Jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return ApiProblems.JobNotFound(id);
        }
        var lines = tail is not null
            ? await store.Logs.TailAsync(id, tailCount, cancellationToken).ConfigureAwait(false)
            : await store.Logs.ReadAsync(id, afterSequence, take, cancellationToken).ConfigureAwait(false);
        var next = lines.Count > 0 ? lines[^1].Sequence : afterSequence;
        return TypedResults.Ok(new JobLogPage(
            id,
            job.State,
            job.State.IsTerminal(),
            [.. lines.Select(l => new JobLogLine(l.Sequence, l.At, l.Stream, l.Text))],
            next));
    }

    private static async Task<Results<Ok<JobEventPage>, ProblemHttpResult>> EventsAsync(
        string id,
        string? after,
        string? limit,
        IAgentMeshStore store,
        CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryLong(after, nameof(after), 0, 0, long.MaxValue, out var afterSequence, out var problem)
            || !QueryParameters.TryInt(limit, nameof(limit), DefaultEventLimit, 1, MaxEventLimit, out var take, out problem))
        {
            return problem!;
        }
        if (await store.Jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.JobNotFound(id);
        }
        var events = await store.History.ReadAsync(id, afterSequence, take, cancellationToken).ConfigureAwait(false);
        var views = events.Select(e => new JobEventView(e.Sequence, e.At, e.Type, JsonSerializer.Deserialize<JsonElement>(e.DataJson))).ToList();
        return TypedResults.Ok(new JobEventPage(id, views, views.Count > 0 ? views[^1].Sequence : afterSequence));
    }
}
