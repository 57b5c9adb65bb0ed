using System.Net;
using System.Text;
using AgentMesh.GitHub.Webhooks;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>The endpoint writing to the real SQLite store: a file on disk, de-duplicated by the database.</summary>
public sealed class WebhookEndpointSqliteTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "sqlite-test-secret";
    private readonly TempDirectory _directory = new("agentmesh-webhook-sqlite");
    private SqliteStore? _store;
    private WebhookTestHost? _host;

    private string DatabasePath => _directory.Combine("agentmesh.db");

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath }, TimeProvider.System, NullLoggerFactory.Instance);
        await _store.MigrateAsync();
        _host = await WebhookTestHost.StartAsync(_store.Inbox, o => o.GlobalSecret = Secret);
    }

    public async Task DisposeAsync() => await CloseAsync();

    private async Task CloseAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_duplicate_delivery_leaves_exactly_one_row_and_the_payload_survives_a_reopen()
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"opened","issue":{"number":3},"repository":{"full_name":"octo/widgets"},"installation":{"id":77}}""");
        var signature = WebhookSignature.Compute(Encoding.UTF8.GetBytes(Secret), body);

        using var first = await _host!.PostAsync(body, "issues", "6f1c-dup", signature);
        using var second = await _host.PostAsync(body, "issues", "6f1c-dup", signature);

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        // Close the node and the store: what follows reads only what reached the file.
        await CloseAsync();

        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM webhook_inbox WHERE delivery_id = '6f1c-dup'";
            ((long)(await count.ExecuteScalarAsync())!).ShouldBe(1);
        }
        await using var reopened = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath }, TimeProvider.System, NullLoggerFactory.Instance);
        var stored = (await reopened.Inbox.GetAsync("6f1c-dup")).ShouldNotBeNull();
        stored.Payload.ShouldBe(body);
        stored.Event.ShouldBe("issues");
        stored.Action.ShouldBe("opened");
        stored.Repository.ShouldBe("octo/widgets");
        stored.InstallationId.ShouldBe(77);
    }

    [Fact]
    public async Task The_same_delivery_sent_eight_times_at_once_is_accepted_once_and_answered_200_seven_times()
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"created","comment":{"id":1},"repository":{"full_name":"octo/widgets"}}""");
        var signature = WebhookSignature.Compute(Encoding.UTF8.GetBytes(Secret), body);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _host!.PostAsync(body, "issue_comment", "race-1", signature)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(7);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
