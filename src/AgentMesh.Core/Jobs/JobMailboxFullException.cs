namespace AgentMesh.Core.Jobs;

/// <summary>A chat message was refused because the job already holds the maximum of undelivered messages.</summary>
public sealed class JobMailboxFullException : JobDomainException
{
    public JobMailboxFullException()
    {
    }

    public JobMailboxFullException(string message)
        : base(message)
    {
    }

    public JobMailboxFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JobMailboxFullException(string jobId, int limit)
        : base($"Job {jobId} already has {limit} undelivered chat messages; wait for the agent to read them.")
    {
        JobId = jobId;
    }

    /// <summary>The job.</summary>
    public string JobId { get; } = string.Empty;
}
