using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api;

/// <summary>
/// Reads a JSON request body by hand, so malformed JSON, a misspelt property or a missing body is
/// a 400 that says what is wrong rather than an empty answer.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, string what, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken).ConfigureAwait(false);
            return value is null
                ? (null, ApiProblems.BadRequest($"The body must be {what} as a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest($"The body is not valid JSON for {what}: {ex.Message}"));
        }
    }
}
