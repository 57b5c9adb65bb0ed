using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMesh.GitHub.Events;
using AgentMesh.GitHub.Rest;
using AgentMesh.GitHub.Tests.Events;
using AgentMesh.GitHub.Tests.Webhooks;
using AgentMesh.GitHub.Webhooks;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Rest;

/// <summary>Which installation serves which repository, from real installation payloads and from deliveries.</summary>
public sealed class GitHubInstallationDirectoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void An_installation_created_serves_its_repositories_and_deleted_serves_none()
    {
        var directory = new GitHubInstallationDirectory(_time);
        var created = Example("installation", "created");
        var id = created["installation"]!["id"]!.GetValue<long>();
        var repositories = created["repositories"]!.AsArray().Select(r => r!["full_name"]!.GetValue<string>()).Order(StringComparer.OrdinalIgnoreCase).ToList();
        repositories.ShouldNotBeEmpty();

        directory.Apply(Parse("installation", created));
        var served = directory.RepositoriesOf(id);
        var deleted = Example("installation", "created");
        deleted["action"] = "deleted";
        directory.Apply(Parse("installation", deleted));

        served.ShouldBe(repositories);
        directory.RepositoriesOf(id).ShouldBeEmpty();
        directory.Find(repositories[0]).ShouldBeNull();
    }

    [Fact]
    public void Repositories_added_to_and_removed_from_an_installation_follow()
    {
        var directory = new GitHubInstallationDirectory(_time);
        var added = Example("installation_repositories", "added");
        var id = added["installation"]!["id"]!.GetValue<long>();
        var addedNames = added["repositories_added"]!.AsArray().Select(r => r!["full_name"]!.GetValue<string>()).ToList();
        addedNames.ShouldNotBeEmpty();

        directory.Apply(Parse("installation_repositories", added));
        addedNames.ShouldAllBe(name => directory.Find(name) == id);

        var removed = Example("installation_repositories", "added");
        removed["action"] = "removed";
        removed["repositories_removed"] = removed["repositories_added"]!.DeepClone();
        removed["repositories_added"] = new JsonArray();
        directory.Apply(Parse("installation_repositories", removed));

        addedNames.ShouldAllBe(name => directory.Find(name) == null);
    }

    [Fact]
    public void Any_other_delivery_teaches_its_repository_and_installation_until_the_entry_expires()
    {
        var directory = new GitHubInstallationDirectory(_time);
        var opened = Example("issues", "opened");
        opened["installation"] = new JsonObject { ["id"] = 4711 };
        var repo = opened["repository"]!["full_name"]!.GetValue<string>();

        directory.Apply(Parse("issues", opened));
        var learned = directory.Find(repo);
        _time.Advance(GitHubInstallationDirectory.Lifetime);

        learned.ShouldBe(4711);
        directory.Find(repo).ShouldBeNull();
    }

    [Fact]
    public async Task The_webhook_endpoint_feeds_the_directory_from_signed_deliveries()
    {
        await using var host = await WebhookTestHost.StartAsync(new InMemoryWebhookInbox(), o => o.GlobalSecret = "s3cret", _time);
        var directory = host.Services.GetRequiredService<GitHubInstallationDirectory>();
        var added = Example("installation_repositories", "added");
        var id = added["installation"]!["id"]!.GetValue<long>();
        var name = added["repositories_added"]![0]!["full_name"]!.GetValue<string>();
        var body = JsonSerializer.SerializeToUtf8Bytes(added);
        var issue = Encoding.UTF8.GetBytes("""{"action":"opened","repository":{"full_name":"acme/api"},"installation":{"id":99}}""");
        var forgedBody = Encoding.UTF8.GetBytes("""{"action":"opened","repository":{"full_name":"evil/repo"},"installation":{"id":666}}""");

        using var first = await host.PostAsync(body, "installation_repositories", "d-1", WebhookSignature.Compute("s3cret"u8, body));
        using var second = await host.PostAsync(issue, "issues", "d-2", WebhookSignature.Compute("s3cret"u8, issue));
        using var forged = await host.PostAsync(forgedBody, "issues", "d-3", WebhookSignature.Compute("wrong"u8, forgedBody));

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        second.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        directory.Find(name).ShouldBe(id);
        directory.Find("acme/api").ShouldBe(99);
        directory.Find("evil/repo").ShouldBeNull();
    }

    private static Octokit.Webhooks.WebhookEvent Parse(string eventName, JsonObject json) =>
        WebhookEventParser.Parse(eventName, JsonSerializer.SerializeToUtf8Bytes(json));

    private static JsonObject Example(string eventName, string action)
    {
        for (var i = 0; ; i++)
        {
            var payload = JsonNode.Parse(WebhookExamples.Payload(eventName, i))!.AsObject();
            if (payload["action"]?.GetValue<string>() == action)
            {
                return payload;
            }
        }
    }
}
