using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentMesh.GitHub.Rest.Responses;

namespace AgentMesh.GitHub.Rest;

/// <summary>Turns answers into typed values or <see cref="GitHubApiException"/>s.</summary>
public static class GitHubResponseExtensions
{
    /// <summary>Throws <see cref="GitHubApiException"/> with GitHub's error body unless the status is 2xx.</summary>
    public static GitHubResponse EnsureSuccess(this GitHubResponse response, HttpMethod method, string path)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(method);
        if (!response.IsSuccess)
        {
            throw new GitHubApiException(response.StatusCode, method.Method, path, ReadError(response.Body));
        }
        return response;
    }

    /// <summary>Deserializes the body.</summary>
    public static T Read<T>(this GitHubResponse response, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(response);
        return JsonSerializer.Deserialize(response.Body, type) ?? throw new JsonException($"GitHub answered JSON null where a {typeof(T).Name} was expected.");
    }

    /// <summary>
    /// Reads GitHub's error body by hand: <c>errors</c> holds objects for most 422s but plain strings for
    /// some (reviews), and a proxy in front of GHES may answer HTML.
    /// </summary>
    private static GitHubError ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new GitHubError { Message = "(the error body was not a JSON object)" };
            }
            var errors = new List<GitHubErrorDetail>();
            if (root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    errors.Add(item.ValueKind == JsonValueKind.Object
                        ? item.Deserialize(GitHubJsonContext.Default.GitHubErrorDetail) ?? new GitHubErrorDetail()
                        : new GitHubErrorDetail { Message = item.ToString() });
                }
            }
            return new GitHubError
            {
                Message = root.TryGetProperty("message", out var message) ? message.GetString() : null,
                DocumentationUrl = root.TryGetProperty("documentation_url", out var documentation) ? documentation.GetString() : null,
                Errors = errors,
            };
        }
        catch (JsonException)
        {
            return new GitHubError { Message = "(the error body was not JSON)" };
        }
    }
}
