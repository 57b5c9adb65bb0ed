namespace AgentMesh.Agents.Workspaces;

/// <summary>A git command failed. The message holds the arguments and git's error output, never the environment.</summary>
public sealed class GitCommandException : Exception
{
    public GitCommandException()
    {
    }

    public GitCommandException(string message)
        : base(message)
    {
    }

    public GitCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GitCommandException(IReadOnlyList<string> arguments, int exitCode, string error)
        : base($"git {string.Join(' ', arguments)} failed with exit code {exitCode}: {error.Trim()}")
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
