using System.Net;

namespace AgentMesh.Cli;

/// <summary>An admin API call that failed, with a message written for the person at the terminal.</summary>
public sealed class AdminApiException : Exception
{
    public AdminApiException()
    {
    }

    public AdminApiException(string message)
        : base(message)
    {
    }

    public AdminApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AdminApiException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The server's answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }
}
