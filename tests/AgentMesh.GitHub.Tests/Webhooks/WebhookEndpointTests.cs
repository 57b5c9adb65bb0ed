using System.Net;
using System.Text;
using AgentMesh.FakeGitHub;
using AgentMesh.GitHub.Webhooks;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>The endpoint over real HTTP on loopback: every answer it can give, and what it stores.</summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private const string GlobalSecret = "global-secret-f00";
    private const string RepoSecret = "repo-secret-b4r";
    private const string InstallationSecret = "installation-secret-b4z";
    private const int Cap = 4096;

    private readonly InMemoryWebhookInbox _inbox = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
    private WebhookTestHost _host = null!;

    private static readonly byte[] IssueOpened = Encoding.UTF8.GetBytes(
        """{"action":"opened","issue":{"number":7,"title":"Fix it"},"repository":{"full_name":"octo/widgets"},"installation":{"id":42},"sender":{"login":"alice"}}""");

    public async Task InitializeAsync() =>
        _host = await WebhookTestHost.StartAsync(_inbox, o =>
        {
            o.MaxBodyBytes = Cap;
            o.GlobalSecret = GlobalSecret;
            o.RepositorySecrets["octo/widgets"] = RepoSecret;
            o.InstallationSecrets[42] = InstallationSecret;
        }, _time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Sign(string secret, byte[] body) => WebhookSignature.Compute(Encoding.UTF8.GetBytes(secret), body);

    [Fact]
    public async Task A_new_signed_delivery_is_stored_byte_for_byte_before_the_202()
    {
        using var response = await _host.PostAsync(IssueOpened, "issues", "d-1", Sign(RepoSecret, IssueOpened));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        // The inbox already holds it when the 202 arrives: the write is awaited before answering.
        var stored = (await _inbox.GetAsync("d-1")).ShouldNotBeNull();
        stored.Event.ShouldBe("issues");
        stored.Action.ShouldBe("opened");
        stored.Repository.ShouldBe("octo/widgets");
        stored.InstallationId.ShouldBe(42);
        stored.Payload.ShouldBe(IssueOpened);
        stored.ReceivedAt.ShouldBe(_time.GetUtcNow());
    }

    [Fact]
    public async Task A_duplicate_delivery_id_is_answered_200_and_stores_nothing_more()
    {
        using var first = await _host.PostAsync(IssueOpened, "issues", "d-dup", Sign(RepoSecret, IssueOpened));
        var other = Encoding.UTF8.GetBytes("""{"action":"closed","repository":{"full_name":"octo/widgets"}}""");
        using var second = await _host.PostAsync(other, "issues", "d-dup", Sign(RepoSecret, other));

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        _inbox.All.Count.ShouldBe(1);
        (await _inbox.GetAsync("d-dup"))!.Action.ShouldBe("opened");
    }

    [Theory]
    [InlineData(RepoSecret)]
    [InlineData(InstallationSecret)]
    [InlineData(GlobalSecret)]
    public async Task The_repo_the_installation_and_the_global_secret_are_each_accepted(string secret)
    {
        using var response = await _host.PostAsync(IssueOpened, "issues", "d-" + secret, Sign(secret, IssueOpened));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Another_repos_secret_does_not_vouch_for_this_repo()
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"opened","repository":{"full_name":"octo/other"}}""");

        using var response = await _host.PostAsync(body, "issues", "d-x", Sign(RepoSecret, body));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _inbox.AddCalls.ShouldBe(0);
    }

    [Fact]
    public async Task A_missing_signature_is_401()
    {
        using var response = await _host.PostAsync(IssueOpened, "issues", "d-2", signature: null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _inbox.AddCalls.ShouldBe(0);
    }

    [Fact]
    public async Task A_wrong_signature_is_401()
    {
        using var response = await _host.PostAsync(IssueOpened, "issues", "d-3", Sign("not-the-secret", IssueOpened));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _inbox.AddCalls.ShouldBe(0);
    }

    [Fact]
    public async Task A_signature_over_different_bytes_is_401()
    {
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(IssueOpened).Replace("Fix it", "Fix It", StringComparison.Ordinal));

        using var response = await _host.PostAsync(tampered, "issues", "d-4", Sign(RepoSecret, IssueOpened));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_missing_event_header_is_400()
    {
        using var response = await _host.PostAsync(IssueOpened, eventName: null, "d-5", Sign(RepoSecret, IssueOpened));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe("missing or invalid X-GitHub-Event header");
    }

    [Fact]
    public async Task A_missing_delivery_header_is_400()
    {
        using var response = await _host.PostAsync(IssueOpened, "issues", deliveryId: null, Sign(RepoSecret, IssueOpened));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe("missing or invalid X-GitHub-Delivery header");
    }

    [Fact]
    public async Task Correctly_signed_malformed_json_is_400()
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"opened","repository":""");

        using var response = await _host.PostAsync(body, "issues", "d-6", Sign(GlobalSecret, body));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe("body is not a JSON object");
        _inbox.AddCalls.ShouldBe(0);
    }

    [Fact]
    public async Task Unsigned_malformed_json_is_401_so_a_stranger_learns_nothing_about_parsing()
    {
        var body = Encoding.UTF8.GetBytes("not json");

        using var response = await _host.PostAsync(body, "issues", "d-7", Sign("guess", body));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_body_over_the_cap_by_content_length_is_413()
    {
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', Cap) + "\"}");

        using var response = await _host.PostAsync(body, "issues", "d-8", Sign(GlobalSecret, body));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        _inbox.AddCalls.ShouldBe(0);
    }

    [Fact]
    public async Task A_chunked_body_without_content_length_is_counted_and_413_when_over_the_cap()
    {
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', Cap) + "\"}");

        using var response = await _host.PostAsync(body, "issues", "d-9", Sign(GlobalSecret, body), chunked: true);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        _inbox.AddCalls.ShouldBe(0);
    }

    [Fact]
    public async Task A_body_exactly_at_the_cap_is_accepted()
    {
        var prefix = "{\"action\":\"opened\",\"pad\":\"";
        var body = Encoding.UTF8.GetBytes(prefix + new string('x', Cap - prefix.Length - 2) + "\"}");
        body.Length.ShouldBe(Cap);

        using var response = await _host.PostAsync(body, "issues", "d-10", Sign(GlobalSecret, body), chunked: true);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_event_is_stored_and_202()
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"completed","workflow_run":{"id":5},"repository":{"full_name":"octo/widgets"}}""");

        using var response = await _host.PostAsync(body, "workflow_run", "d-11", Sign(RepoSecret, body));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _inbox.GetAsync("d-11"))!.Event.ShouldBe("workflow_run");
    }

    [Fact]
    public async Task A_store_failure_is_503_not_a_crash()
    {
        await using var host = await WebhookTestHost.StartAsync(new FailingWebhookInbox(), o => o.GlobalSecret = GlobalSecret);

        using var response = await host.PostAsync(IssueOpened, "issues", "d-12", Sign(GlobalSecret, IssueOpened));

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_delivery_signed_by_the_fake_GitHub_is_accepted()
    {
        await using var github = await FakeGitHubServer.StartAsync();

        using var response = await github.SendWebhookAsync(_host.Url, "issues", IssueOpened, InstallationSecret, "from-fake");

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _inbox.GetAsync("from-fake"))!.Payload.ShouldBe(IssueOpened);
    }

    [Fact]
    public async Task Secrets_and_signatures_never_reach_the_log()
    {
        var signature = Sign(RepoSecret, IssueOpened);
        using (await _host.PostAsync(IssueOpened, "issues", "d-log-1", signature))
        using (await _host.PostAsync(IssueOpened, "issues", "d-log-2", Sign("wrong", IssueOpened)))
        using (await _host.PostAsync(IssueOpened, "issues", "d-log-1", signature))
        {
        }

        var log = string.Join('\n', _host.Logs.Lines);
        log.ShouldContain("d-log-1");
        foreach (var secret in new[] { RepoSecret, InstallationSecret, GlobalSecret, signature[7..] })
        {
            log.ShouldNotContain(secret);
        }
    }

    [Fact]
    public void The_default_cap_is_GitHubs_25_MB()
    {
        new GitHubWebhookOptions().MaxBodyBytes.ShouldBe(25L * 1024 * 1024);
    }

    [Fact]
    public void Options_validation_names_the_bad_setting()
    {
        var result = new GitHubWebhookOptionsValidator().Validate(null, new GitHubWebhookOptions { MaxBodyBytes = 0 });

        result.FailureMessage.ShouldBe("GitHub:Webhooks:MaxBodyBytes must be positive, but is 0.");
    }
}
