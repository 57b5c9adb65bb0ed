using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Server.Actors;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary>
/// A tenant's budget through the whole intake: a signed issues.opened delivery to a real node (of its own, on a
/// fake clock, so the UTC day cannot turn over mid-test), its delivery grain, admission.
/// </summary>
public sealed class TenantBudgetWebhookTests
{
    [Fact]
    public async Task An_issue_opened_on_a_repo_of_a_tenant_whose_daily_tokens_are_spent_makes_a_job_held_until_utc_midnight()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.Zero));
        await using var node = await AdminApiNode.StartAsync(timeProvider: clock);
        var account = "acme";
        var (spent, fresh) = ($"{account}/spent", $"{account}/fresh");
        foreach (var repo in new[] { spent, fresh })
        {
            using var configured = await node.Client.PutAsJsonAsync($"/api/repos/{repo}", new RepoConfig { Enabled = true, AutoSolve = true, AllowedUsers = ["alice"] }, CoreJson.Options);
            configured.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await node.Client.PostJsonAsync("/api/tenants", new { account })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await node.Client.PutAsync(new Uri($"/api/tenants/{account}/repos/{spent}", UriKind.Relative), null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await node.Client.PutAsync(new Uri($"/api/tenants/{account}/repos/{fresh}", UriKind.Relative), null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await node.Client.PutAsJsonAsync($"/api/tenants/{account}/budget", new { dailyTokens = 1_000, monthlyCostUsd = (decimal?)null }, CoreJson.Options)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await node.App.Services.GetRequiredService<RepoActor>().RecordUsageAsync(spent, 1_000);

        var outcome = await node.ProcessedOutcomeAsync(await node.SendWebhookAsync("issues", IssueOpened(fresh, 3)));

        var tomorrow = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        var job = (await node.Store.Jobs.FindByNaturalKeyAsync($"{fresh}#3:solve_issue")).ShouldNotBeNull();
        outcome.ShouldBe($"job {job.Id} created, held until 2026-11-22 00:00:00Z: DailyBudgetExhausted: The tenant acme's daily token budget (1000) is spent; work resumes at 2026-11-22 00:00:00Z.");
        job.RunAfter.ShouldBe(tomorrow);
    }

    /// <summary>An issues.opened delivery in GitHub's shape (the fields the parser and router read).</summary>
    private static JsonObject IssueOpened(string repo, int number) => new()
    {
        ["action"] = "opened",
        ["issue"] = new JsonObject
        {
            ["id"] = 7000 + number,
            ["number"] = number,
            ["title"] = "Broken widget",
            ["body"] = "It breaks.",
            ["state"] = "open",
            ["user"] = User("alice"),
            ["labels"] = new JsonArray(),
        },
        ["repository"] = new JsonObject { ["id"] = 1, ["name"] = repo.Split('/')[1], ["full_name"] = repo, ["owner"] = User(repo.Split('/')[0]) },
        ["sender"] = User("alice"),
    };

    private static JsonObject User(string login) => new() { ["login"] = login, ["id"] = 1, ["type"] = "User" };
}
