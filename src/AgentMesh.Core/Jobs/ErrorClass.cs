namespace AgentMesh.Core.Jobs;

/// <summary>How a failure is treated: a transient one is retried with backoff, a permanent one fails the job.</summary>
public enum ErrorClass
{
    Transient,
    Permanent,
}
