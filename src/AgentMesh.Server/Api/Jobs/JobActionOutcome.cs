namespace AgentMesh.Server.Api.Jobs;

/// <summary>How an admin action on one job ended.</summary>
public enum JobActionStatus
{
    /// <summary>The job took the command (or was already where it asked).</summary>
    Done,

    /// <summary>No job has that id.</summary>
    NotFound,

    /// <summary>The job refused the command in its current state.</summary>
    Refused,
}

/// <param name="Job">The job afterwards, when it exists.</param>
/// <param name="Error">The domain's reason, when refused or not found.</param>
public sealed record JobActionOutcome(JobActionStatus Status, JobSummary? Job, string? Error);
