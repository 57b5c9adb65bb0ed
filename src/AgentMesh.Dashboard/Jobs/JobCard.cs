using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Dashboard.Jobs;

/// <summary>One job as the board and the job page show it.</summary>
/// <param name="State">The store's column: what claims and the board go by.</param>
/// <param name="Run">1 for the job as created; each re-run adds one.</param>
public sealed record JobCard(
    string Id,
    string Repo,
    int Number,
    string Kind,
    JobState State,
    int Attempt,
    int MaxAttempts,
    int Run,
    long Tokens,
    decimal CostUsd,
    string? PrUrl,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public string Title => $"{Repo}#{Number}";

    /// <summary>How long the job has lived: until now while it is open, until its last change once it is final.</summary>
    public TimeSpan Elapsed(DateTimeOffset now) => (State.IsTerminal() ? UpdatedAt : now) - CreatedAt;

    /// <summary>Columns the store changes without a turn come from the row; the rest from the actor's state.</summary>
    public static JobCard From(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var actor = JsonSerializer.Deserialize<JobActorState>(record.DataJson, CoreJson.Options)
            ?? throw new InvalidOperationException($"Job {record.Id} holds no actor state.");
        return new(
            record.Id,
            record.Repo,
            actor.Number,
            record.Kind,
            record.State,
            record.Attempt,
            record.MaxAttempts,
            actor.Run,
            actor.Usage.Total.Tokens.Total,
            actor.Usage.Total.CostUsd,
            actor.PullRequest?.Url,
            actor.LastError?.Reason,
            record.CreatedAt,
            record.UpdatedAt,
            record.Version);
    }

    /// <summary>Whether the card matches the board's filters (all optional; text matches repo#number, kind or id).</summary>
    public bool Matches(string? repo, JobState? state, string? text) =>
        (string.IsNullOrWhiteSpace(repo) || string.Equals(Repo, repo.Trim(), StringComparison.OrdinalIgnoreCase))
        && (state is null || State == state)
        && (string.IsNullOrWhiteSpace(text)
            || Title.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)
            || Kind.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)
            || Id.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)
            || (LastError?.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase) ?? false));
}
