namespace AgentMesh.Core;

/// <summary>
/// Thrown by the <c>EnsureValid()</c> methods of the core's option and configuration records. The message lists
/// every problem found, one sentence each, in the order <c>Validate()</c> returns them.
/// </summary>
public sealed class InvalidConfigurationException : Exception
{
    public InvalidConfigurationException()
    {
        Problems = [];
    }

    public InvalidConfigurationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception for a named section (e.g. "RetryOptions") and its problems.</summary>
    public InvalidConfigurationException(string section, IReadOnlyList<string> problems)
        : base($"{section} is invalid: {string.Join(" ", problems)}")
    {
        Problems = problems;
    }

    /// <summary>Each problem as its own sentence.</summary>
    public IReadOnlyList<string> Problems { get; }

    internal static void ThrowIfAny(string section, IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new InvalidConfigurationException(section, problems);
        }
    }
}
