using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Server.Api.Repos;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary><c>/api/repos</c>: configuration saved through the repo actor into the real store.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class ReposApiTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task An_invalid_configuration_is_refused_with_400_listing_every_problem()
    {
        var repo = AdminApiNode.NewRepo();
        var invalid = new RepoConfig
        {
            Enabled = true,
            TriggerMention = "agentmesh",
            MaxConcurrentJobs = 0,
            HourlyTokenBudget = 500,
            DailyTokenBudget = 100,
            AllowedUsers = ["alice", " "],
        };

        using var response = await _node.Client.PutAsJsonAsync($"/api/repos/{repo}", invalid, CoreJson.Options);

        var problem = await response.ShouldBeProblemAsync(
            HttpStatusCode.BadRequest,
            $"The configuration of {repo} is invalid: {string.Join(" ", invalid.Validate())}");
        problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ShouldBe(
        [
            "TriggerMention must be null or '@' followed by a login (was \"agentmesh\").",
            "AllowedUsers must not contain blank entries.",
            "MaxConcurrentJobs must be between 1 and 100 (was 0).",
            "HourlyTokenBudget (500) must not exceed DailyTokenBudget (100).",
        ]);
        using var after = await _node.Client.GetAsync(new Uri($"/api/repos/{repo}", UriKind.Relative));
        after.StatusCode.ShouldBe(HttpStatusCode.NotFound, "a refused configuration is not saved");
    }

    [Theory]
    [InlineData("{\"enabled\":true,\"maxConcurentJobs\":3}", "maxConcurentJobs")]
    [InlineData("{\"enabled\":\"yes\"}", "$.enabled")]
    [InlineData("[1,2]", "RepoConfig")]
    public async Task A_body_that_is_not_a_repo_configuration_is_refused_with_400_saying_where(string json, string mentioned)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _node.Client.PutAsync(new Uri($"/api/repos/{AdminApiNode.NewRepo()}", UriKind.Relative), content);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
        detail.ShouldStartWith("The body is not valid JSON for a repo configuration: ");
        detail.ShouldContain(mentioned);
    }

    [Fact]
    public async Task A_saved_configuration_reads_back_equal_is_listed_and_is_gone_after_delete()
    {
        var repo = AdminApiNode.NewRepo();
        var config = new RepoConfig
        {
            Enabled = true,
            AutoSolve = true,
            TriggerLabel = "ai-fix",
            TriggerMention = null,
            IncludeLabels = ["bug"],
            ExcludeLabels = ["wontfix"],
            AllowedUsers = ["alice", "bob"],
            AgentProfile = "codex",
            MaxConcurrentJobs = 4,
            HourlyTokenBudget = 100_000,
            DailyTokenBudget = 1_000_000,
            MaxFixRounds = 5,
        };

        using var put = await _node.Client.PutAsJsonAsync($"/api/repos/{repo}", config, CoreJson.Options);
        var saved = await put.ReadAsync<RepoView>(HttpStatusCode.OK);
        var read = await (await _node.Client.GetAsync(new Uri($"/api/repos/{repo}", UriKind.Relative))).ReadAsync<RepoView>(HttpStatusCode.OK);
        var listed = await (await _node.Client.GetAsync(new Uri("/api/repos", UriKind.Relative))).ReadAsync<List<RepoView>>(HttpStatusCode.OK);

        Json(saved.Config).ShouldBe(Json(config));
        read.Repo.ShouldBe(repo);
        Json(read.Config).ShouldBe(Json(config));
        read.Ledger.Hourly.ShouldBeEmpty();
        Json(listed.Single(r => r.Repo == repo).Config).ShouldBe(Json(config));

        using var delete = await _node.Client.DeleteAsync(new Uri($"/api/repos/{repo}", UriKind.Relative));
        using var gone = await _node.Client.GetAsync(new Uri($"/api/repos/{repo}", UriKind.Relative));
        using var deleteAgain = await _node.Client.DeleteAsync(new Uri($"/api/repos/{repo}", UriKind.Relative));

        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await gone.ShouldBeProblemAsync(HttpStatusCode.NotFound, $"Repo {repo} is not configured.");
        await deleteAgain.ShouldBeProblemAsync(HttpStatusCode.NotFound, $"Repo {repo} is not configured.");
    }

    [Fact]
    public async Task A_repo_spelled_in_other_letter_case_is_the_configured_repo_as_on_GitHub()
    {
        var repo = AdminApiNode.NewRepo();
        var shouted = repo.ToUpperInvariant();
        using var put = await _node.Client.PutAsJsonAsync($"/api/repos/{repo}", new RepoConfig { Enabled = true, MaxConcurrentJobs = 3 }, CoreJson.Options);
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        var job = await _node.CreateJobAsync(repo, 5);

        var read = await (await _node.Client.GetAsync(new Uri($"/api/repos/{shouted}", UriKind.Relative))).ReadAsync<RepoView>(HttpStatusCode.OK);
        using var update = await _node.Client.PutAsJsonAsync($"/api/repos/{shouted}", new RepoConfig { Enabled = true, MaxConcurrentJobs = 4 }, CoreJson.Options);
        var updated = await update.ReadAsync<RepoView>(HttpStatusCode.OK);
        var listed = await (await _node.Client.GetAsync(new Uri("/api/repos", UriKind.Relative))).ReadAsync<List<RepoView>>(HttpStatusCode.OK);
        using var jobs = await _node.Client.GetAsync(new Uri($"/api/jobs?repo={Uri.EscapeDataString(shouted)}", UriKind.Relative));
        var jobsBody = await jobs.Content.ReadAsStringAsync();
        using var delete = await _node.Client.DeleteAsync(new Uri($"/api/repos/{shouted}", UriKind.Relative));

        read.Repo.ShouldBe(repo, "read under the name it was configured with");
        updated.Repo.ShouldBe(repo);
        updated.Config.MaxConcurrentJobs.ShouldBe(4);
        listed.Count(r => string.Equals(r.Repo, repo, StringComparison.OrdinalIgnoreCase)).ShouldBe(1, "the other spelling updated the repo, it made no second one");
        jobs.StatusCode.ShouldBe(HttpStatusCode.OK);
        jobsBody.ShouldContain(job.Id, Case.Sensitive, "the jobs filter finds the repo's jobs in any letter case");
        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Omitted_settings_take_their_defaults()
    {
        var repo = AdminApiNode.NewRepo();
        using var content = new StringContent("{\"enabled\":true}", Encoding.UTF8, "application/json");

        using var put = await _node.Client.PutAsync(new Uri($"/api/repos/{repo}", UriKind.Relative), content);

        Json((await put.ReadAsync<RepoView>(HttpStatusCode.OK)).Config).ShouldBe(Json(new RepoConfig { Enabled = true }));
    }

    [Fact]
    public async Task A_repo_name_with_whitespace_is_refused_with_400()
    {
        using var response = await _node.Client.GetAsync(new Uri("/api/repos/acme/we%20b", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "owner and repo must be a GitHub 'owner/name' without whitespace (was 'acme/we b').");
    }

    private static string Json(RepoConfig config) => JsonSerializer.Serialize(config, CoreJson.Options);
}
