using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentMesh.Core.Jobs;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary>The admin token guard: never open by default, 401 for a missing or wrong token, nothing logged.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class AdminApiAuthTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task A_request_without_a_token_is_refused_with_401_and_a_problem_body()
    {
        using var response = await _node.Anonymous.GetAsync(new Uri("/api/jobs", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "The admin API needs an 'Authorization: Bearer <token>' header.");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }

    [Theory]
    [InlineData("api-test-token-5b1f0c2e9X")] // same length, last character differs
    [InlineData("API-TEST-TOKEN-5B1F0C2E9D")] // case matters
    [InlineData("api-test-token-5b1f0c2e9d-and-more")] // the right token as a prefix
    [InlineData("short-wrong")]
    public async Task A_wrong_token_is_refused_with_401_and_is_never_logged(string wrong)
    {
        using var client = _node.NewClient(wrong);

        using var response = await client.GetAsync(new Uri("/api/repos", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "The admin token was refused.");
        _node.Logs.Messages.ShouldContain(m => m.Contains("Admin API request to /api/repos refused: wrong token", StringComparison.Ordinal));
        _node.Logs.Messages.ShouldNotContain(m => m.Contains(wrong, StringComparison.Ordinal) || m.Contains(AdminApiNode.DefaultToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_in_another_scheme_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", AdminApiNode.DefaultToken);

        using var response = await _node.Anonymous.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "The admin API needs an 'Authorization: Bearer <token>' header.");
    }

    [Fact]
    public async Task A_refused_command_changes_nothing_and_the_guard_ignores_path_case()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1);

        using var response = await _node.Anonymous.PostAsync(new Uri($"/API/Jobs/{job.Id}/stop", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _node.Store.Jobs.GetAsync(job.Id))!.State.ShouldBe(JobState.Queued);
    }

    [Fact]
    public async Task The_right_token_is_let_through()
    {
        using var response = await _node.Client.GetAsync(new Uri("/api/nodes", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_configured_token_the_api_answers_503_and_stays_closed()
    {
        await using var node = await AdminApiNode.StartAsync(token: null);
        using var anyToken = node.NewClient(AdminApiNode.DefaultToken);

        using var anonymous = await node.Anonymous.GetAsync(new Uri("/api/jobs", UriKind.Relative));
        using var withToken = await anyToken.GetAsync(new Uri("/api/jobs", UriKind.Relative));

        await anonymous.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "admin API disabled: set Admin:Token");
        await withToken.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "admin API disabled: set Admin:Token");
    }

    [Fact]
    public async Task A_short_token_stops_the_node_with_a_message_naming_the_key_and_not_the_value()
    {
        using var data = new AgentMesh.Testing.TempDirectory("agentmesh-api");
        await using var app = AdminApiNode.Build(["--urls=http://127.0.0.1:0", $"--Store:DataDirectory={data.Path}", "--Admin:Token=hunter2"]);

        var error = await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync());

        error.Message.ShouldContain("Admin:Token must be at least 16 non-blank characters when set (it has 7).");
        error.Message.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_admin_api_and_its_bearer_scheme()
    {
        using var response = await _node.Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        string[] expected =
        [
            "/api/jobs", "/api/jobs/{id}", "/api/jobs/{id}/logs", "/api/jobs/{id}/events", "/api/jobs/{id}/audit", "/api/jobs/{id}/retry",
            "/api/jobs/{id}/stop", "/api/jobs/bulk-status", "/api/repos", "/api/repos/{owner}/{repo}", "/api/stats", "/api/nodes",
        ];
        foreach (var path in expected)
        {
            paths.TryGetProperty(path, out _).ShouldBeTrue($"the OpenAPI document should list {path}");
        }
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("adminToken");
        scheme.GetProperty("scheme").GetString().ShouldBe("bearer");
        var listJobs = paths.GetProperty("/api/jobs").GetProperty("get");
        listJobs.GetProperty("security")[0].TryGetProperty("adminToken", out _).ShouldBeTrue();
        listJobs.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
            .ShouldBe(["repo", "state", "limit", "offset"]);
        var retryResponses = paths.GetProperty("/api/jobs/{id}/retry").GetProperty("post").GetProperty("responses");
        retryResponses.EnumerateObject().Select(r => r.Name).Order().ShouldBe(["202", "401", "404", "409", "503"]);
        retryResponses.GetProperty("409").GetProperty("content").TryGetProperty("application/problem+json", out _).ShouldBeTrue();
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        schemas.GetProperty("RunAudit").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)
            .ShouldBe(["filesChanged", "filesRead", "filesWritten", "jobKey", "people", "run", "toolCalls", "toolCallsDropped"]);
    }
}
