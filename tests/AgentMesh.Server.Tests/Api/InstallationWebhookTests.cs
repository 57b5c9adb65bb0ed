using System.Net;
using AgentMesh.Core.Tenants;
using AgentMesh.Server.Tests.Pipeline;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary>
/// The GitHub App's <c>installation</c> and <c>installation_repositories</c> deliveries, signed and sent to the
/// node's webhook endpoint in GitHub's real shape, fill the installations and repos of the account's tenant.
/// </summary>
[Collection(AdminApiCollection.Name)]
public sealed class InstallationWebhookTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task Installation_deliveries_add_and_remove_the_installation_and_its_repos_on_the_accounts_tenant()
    {
        var account = NewAccount();
        await CreateTenantAsync(account);
        var login = account.ToUpperInvariant(); // GitHub spells the account as it likes; the tenant key is lower case

        (await DeliverAsync("installation", InstallationPayloads.Created(login, 4101, $"{login}/api", $"{login}/web")))
            .ShouldBe($"tenant {account}: installation 4101 recorded with {login}/api, {login}/web");
        var installed = await TenantAsync(account);
        installed.Installations.ShouldBe([4101L]);
        installed.Repos.ShouldBe([new TenantRepo($"{login}/api", 4101), new TenantRepo($"{login}/web", 4101)]);

        await DeliverAsync("installation_repositories", InstallationPayloads.ReposAdded(login, 4101, $"{login}/docs"));
        (await TenantAsync(account)).Repos.Select(r => r.Repo).ShouldBe([$"{login}/api", $"{login}/docs", $"{login}/web"]);

        // A repo an admin assigned by hand is not the installation's to take away.
        (await _node.Client.PutAsync(new Uri($"/api/tenants/{account}/repos/{account}/tools", UriKind.Relative), null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DeliverAsync("installation_repositories", InstallationPayloads.ReposRemoved(login, 4101, $"{login}/web", $"{account}/tools")))
            .ShouldBe($"tenant {account}: installation 4101 no longer grants {login}/web, {account}/tools");
        var narrowed = await TenantAsync(account);
        narrowed.Installations.ShouldBe([4101L]);
        narrowed.Repos.ShouldBe([new TenantRepo($"{login}/api", 4101), new TenantRepo($"{login}/docs", 4101), new TenantRepo($"{account}/tools", TenantRepo.ByHand)]);

        (await DeliverAsync("installation", InstallationPayloads.Deleted(login, 4101)))
            .ShouldBe($"tenant {account}: installation 4101 and its repos removed");
        var uninstalled = await TenantAsync(account);
        uninstalled.Installations.ShouldBeEmpty();
        uninstalled.Repos.ShouldBe([new TenantRepo($"{account}/tools", TenantRepo.ByHand)]);
    }

    [Fact]
    public async Task Repos_added_to_an_installation_the_tenant_never_heard_of_bring_the_installation_with_them()
    {
        var account = NewAccount();
        await CreateTenantAsync(account);

        await DeliverAsync("installation_repositories", InstallationPayloads.ReposAdded(account, 4202, $"{account}/late"));

        var tenant = await TenantAsync(account);
        tenant.Installations.ShouldBe([4202L]);
        tenant.Repos.ShouldBe([new TenantRepo($"{account}/late", 4202)]);
    }

    [Fact]
    public async Task A_redelivered_installation_event_changes_nothing_more()
    {
        var account = NewAccount();
        await CreateTenantAsync(account);
        var created = InstallationPayloads.Created(account, 4303, $"{account}/one");

        await DeliverAsync("installation", created);
        await DeliverAsync("installation", created.DeepClone().AsObject());

        var tenant = await TenantAsync(account);
        tenant.Installations.ShouldBe([4303L]);
        tenant.Repos.ShouldBe([new TenantRepo($"{account}/one", 4303)]);
    }

    [Fact]
    public async Task An_installation_on_an_account_without_a_tenant_makes_no_tenant()
    {
        var account = NewAccount();

        var outcome = await DeliverAsync("installation", InstallationPayloads.Created(account, 4404, $"{account}/one"));

        outcome.ShouldBe($"not recorded for {account}: Tenant {account} does not exist.");
        (await _node.Client.GetAsync(new Uri($"/api/tenants/{account}", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<string> DeliverAsync(string eventName, System.Text.Json.Nodes.JsonObject payload) =>
        await _node.ProcessedOutcomeAsync(await _node.SendWebhookAsync(eventName, payload));

    private async Task CreateTenantAsync(string account)
    {
        using var created = await _node.Client.PostJsonAsync("/api/tenants", new { account });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    private async Task<TenantState> TenantAsync(string account) =>
        await (await _node.Client.GetAsync(new Uri($"/api/tenants/{account}", UriKind.Relative))).ReadAsync<TenantState>(HttpStatusCode.OK);

    private static string NewAccount() => $"i{Guid.NewGuid():N}"[..12];
}
