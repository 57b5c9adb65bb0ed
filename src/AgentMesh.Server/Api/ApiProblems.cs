using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api;

/// <summary>
/// The admin API's error answers: RFC 7807 problem bodies whose <c>detail</c> is one sentence a
/// person can act on (naming the parameter or the job), so the CLI can print it as it is.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static ProblemHttpResult BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status400BadRequest, "Bad request", detail, extensions);

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemHttpResult JobNotFound(string jobId) => NotFound($"Job {jobId} does not exist.");
}
