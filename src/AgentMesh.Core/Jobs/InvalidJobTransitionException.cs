namespace AgentMesh.Core.Jobs;

/// <summary>
/// A command that is not legal in the job's current state, e.g. "Job 42 cannot handle ReplyReceived while pr_opened."
/// Illegal transitions are never silently ignored; the caller decides whether to log, answer 409, or drop.
/// </summary>
public sealed class InvalidJobTransitionException : JobDomainException
{
    public InvalidJobTransitionException()
    {
        JobId = string.Empty;
        Command = string.Empty;
    }

    public InvalidJobTransitionException(string message)
        : base(message)
    {
        JobId = string.Empty;
        Command = string.Empty;
    }

    public InvalidJobTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        JobId = string.Empty;
        Command = string.Empty;
    }

    /// <summary>Creates the exception; <paramref name="detail"/> (a sentence) explains a refused guard.</summary>
    public InvalidJobTransitionException(string jobId, JobState state, string command, string? detail = null)
        : base(Format(jobId, state, command, detail))
    {
        JobId = jobId;
        State = state;
        Command = command;
    }

    /// <summary>Restores a refusal decided elsewhere (the job's grain, on another silo) from its parts.</summary>
    public InvalidJobTransitionException(string message, string jobId, JobState? state, string? command)
        : base(message)
    {
        JobId = jobId;
        State = state ?? default;
        Command = command ?? string.Empty;
    }

    /// <summary>The job.</summary>
    public string JobId { get; }

    /// <summary>The state the job was in.</summary>
    public JobState State { get; }

    /// <summary>The refused command's name.</summary>
    public string Command { get; }

    private static string Format(string jobId, JobState state, string command, string? detail) =>
        detail is null
            ? $"Job {jobId} cannot handle {command} while {state.ToWire()}."
            : $"Job {jobId} cannot handle {command} while {state.ToWire()}: {detail}";
}
