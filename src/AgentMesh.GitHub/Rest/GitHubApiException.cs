using System.Net;
using AgentMesh.GitHub.Rest.Responses;

namespace AgentMesh.GitHub.Rest;

/// <summary>GitHub answered with an error status; carries GitHub's own error body.</summary>
public sealed class GitHubApiException : Exception
{
    public GitHubApiException()
    {
        Error = new GitHubError();
    }

    public GitHubApiException(string message)
        : base(message)
    {
        Error = new GitHubError { Message = message };
    }

    public GitHubApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new GitHubError { Message = message };
    }

    public GitHubApiException(HttpStatusCode statusCode, string method, string path, GitHubError error)
        : base($"GitHub answered {(int)statusCode} to {method} {path}: {error?.Message ?? "(no message)"}")
    {
        StatusCode = statusCode;
        Error = error ?? new GitHubError();
    }

    public HttpStatusCode StatusCode { get; }

    public GitHubError Error { get; }
}
