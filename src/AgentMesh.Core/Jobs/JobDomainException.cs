namespace AgentMesh.Core.Jobs;

/// <summary>Base of the job actor's domain errors: a command the job refuses. The state is left unchanged.</summary>
public class JobDomainException : Exception
{
    public JobDomainException()
    {
    }

    public JobDomainException(string message)
        : base(message)
    {
    }

    public JobDomainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
