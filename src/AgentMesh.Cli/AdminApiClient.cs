using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AgentMesh.Cli;

/// <summary>
/// Talks to a node's admin API. The server comes from <c>--server</c>, else <c>AGENTMESH_SERVER</c>,
/// else <see cref="DefaultServer"/>; the token only from <c>AGENTMESH_ADMIN_TOKEN</c>, because a
/// secret on the command line is visible to every user of the machine. Failures become
/// <see cref="AdminApiException"/>s whose message says what to do.
/// </summary>
public sealed class AdminApiClient : IDisposable
{
    public const string ServerVariable = "AGENTMESH_SERVER";
    public const string TokenVariable = "AGENTMESH_ADMIN_TOKEN";
    public const string DefaultServer = "http://127.0.0.1:5080";

    /// <summary>How long one request may take before the node counts as unreachable.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly bool _hasToken;

    public AdminApiClient(Uri server, string? token, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server.ToString().TrimEnd('/');
        // A trailing slash makes relative paths resolve under a base path (e.g. behind a proxy at /agentmesh/).
        _http = new HttpClient(handler ?? new HttpClientHandler(), disposeHandler: true)
        {
            BaseAddress = new Uri(Server + "/"),
            Timeout = RequestTimeout,
        };
        _hasToken = !string.IsNullOrEmpty(token);
        if (_hasToken)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The node's address as the user gave it, for messages.</summary>
    public string Server { get; }

    /// <summary>Creates a client from the option value and the environment.</summary>
    public static AdminApiClient FromEnvironment(string? serverOption)
    {
        var raw = serverOption ?? Environment.GetEnvironmentVariable(ServerVariable);
        raw = string.IsNullOrWhiteSpace(raw) ? DefaultServer : raw.Trim();
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            throw new AdminApiException($"the server address must be an absolute http:// or https:// URL (was '{raw}'); set it with --server or {ServerVariable}.");
        }
        return new AdminApiClient(server, Environment.GetEnvironmentVariable(TokenVariable));
    }

    public Task<string> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>
    /// Reads a server-sent events answer as (event, data) pairs until the server closes it. Only the wait for
    /// the answer's headers has <see cref="RequestTimeout"/>; the events may come as slowly as the job runs.
    /// </summary>
    public async IAsyncEnumerable<(string Event, string Data)> EventsAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new AdminApiException($"cannot reach AgentMesh at {Server}: {ex.Message}", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new AdminApiException(Describe(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)), response.StatusCode);
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            var name = "message";
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        yield return (name, data.ToString());
                    }
                    name = "message";
                    data.Clear();
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(data.Length > 0 ? "\n" : "").Append(line[5..].TrimStart());
                }
            }
        }
    }

    /// <summary>Sends a request and returns the answer's body; throws <see cref="AdminApiException"/> unless it succeeded.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, string? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new AdminApiException($"cannot reach AgentMesh at {Server}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AdminApiException($"cannot reach AgentMesh at {Server}: no answer within {RequestTimeout.TotalSeconds:0} s.", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }
            throw new AdminApiException(Describe(response.StatusCode, body), response.StatusCode);
        }
    }

    private string Describe(HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.Unauthorized)
        {
            return _hasToken
                ? $"the admin token was refused (set {TokenVariable})"
                : $"the admin token was refused: none was sent (set {TokenVariable})";
        }
        var detail = ProblemDetail(body);
        return detail is null
            ? $"AgentMesh at {Server} answered {(int)status} {status}."
            : detail;
    }

    // The API answers errors as RFC 7807 problems; "detail" is the sentence meant for people.
    private static string? ProblemDetail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("detail", out var detail)
                && detail.ValueKind == JsonValueKind.String
                    ? detail.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
