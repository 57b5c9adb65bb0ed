using System.Net;
using System.Text;
using AgentMesh.GitHub.Webhooks;
using AgentMesh.Storage.Abstractions;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>
/// The endpoint writing to a real store: de-duplication is the database's, and what the 202 promised is
/// there after the node and the store are closed. One suite, one subclass per backend.
/// </summary>
public abstract class WebhookEndpointStoreTests : IAsyncLifetime
{
    private const string Secret = "store-test-secret";
    private IAgentMeshStore? _store;
    private WebhookTestHost? _host;

    /// <summary>Opens the store on the same database every time it is called.</summary>
    protected abstract Task<IAgentMeshStore> OpenStoreAsync();

    /// <summary>Counts inbox rows for a delivery id with the backend's own driver, outside the store.</summary>
    protected abstract Task<long> CountInboxRowsAsync(string deliveryId);

    public async Task InitializeAsync()
    {
        _store = await OpenStoreAsync();
        await _store.MigrateAsync();
        _host = await WebhookTestHost.StartAsync(_store.Inbox, o => o.GlobalSecret = Secret);
    }

    public virtual async Task DisposeAsync() => await CloseAsync();

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

    private static string Sign(byte[] body) => WebhookSignature.Compute(Encoding.UTF8.GetBytes(Secret), body);

    [Fact]
    public async Task A_duplicate_delivery_leaves_exactly_one_row_and_the_payload_survives_a_reopen()
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"opened","issue":{"number":3},"repository":{"full_name":"octo/widgets"},"installation":{"id":77}}""");

        using var first = await _host!.PostAsync(body, "issues", "6f1c-dup", Sign(body));
        using var second = await _host.PostAsync(body, "issues", "6f1c-dup", Sign(body));

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        // Close the node and the store: what follows reads only what reached the database.
        await CloseAsync();
        (await CountInboxRowsAsync("6f1c-dup")).ShouldBe(1);
        await using var reopened = await OpenStoreAsync();
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

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _host!.PostAsync(body, "issue_comment", "race-1", Sign(body))));

        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(7);
        foreach (var response in responses)
        {
            response.Dispose();
        }
        (await CountInboxRowsAsync("race-1")).ShouldBe(1);
    }
}
