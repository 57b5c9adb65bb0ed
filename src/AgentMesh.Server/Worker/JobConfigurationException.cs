namespace AgentMesh.Server.Worker;

/// <summary>
/// The job cannot run as configured (e.g. its repo names an agent profile this node does not have).
/// Retrying cannot help, so the job fails at once with this message.
/// </summary>
public sealed class JobConfigurationException : Exception
{
    public JobConfigurationException()
    {
    }

    public JobConfigurationException(string message)
        : base(message)
    {
    }

    public JobConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
