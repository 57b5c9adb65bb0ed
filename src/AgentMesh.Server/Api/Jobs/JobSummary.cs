using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>One job as listings show it.</summary>
/// <param name="Kind"><c>solve_issue</c> or <c>fix_pull_request</c>.</param>
/// <param name="State">The store's column: what claims and the board go by.</param>
/// <param name="Run">1 for the job as created; each re-run by a person adds one.</param>
/// <param name="LeaseOwner">The worker holding the job, when one does.</param>
/// <param name="PrUrl">The pull request, once opened.</param>
/// <param name="Usage">Tokens and cost over the job's whole life.</param>
/// <param name="LastError">Why the last attempt failed, when it did.</param>
public sealed record JobSummary(
    string Id,
    string Repo,
    int Number,
    string Kind,
    JobState State,
    int Attempt,
    int MaxAttempts,
    int Run,
    DateTimeOffset RunAfter,
    string? LeaseOwner,
    string? PrUrl,
    UsageTotals Usage,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Columns the store changes without a turn (state, attempt, run-after, lease after a claim or
    /// a rescue) come from the row; what only the actor knows comes from its state.
    /// </summary>
    public static JobSummary From(JobRecord record, JobActorState actor)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(actor);
        return new(
            record.Id,
            record.Repo,
            actor.Number,
            record.Kind,
            record.State,
            record.Attempt,
            record.MaxAttempts,
            actor.Run,
            record.RunAfter,
            record.LeaseOwner,
            actor.PullRequest?.Url,
            actor.Usage.Total,
            actor.LastError?.Reason,
            record.CreatedAt,
            record.UpdatedAt);
    }
}
