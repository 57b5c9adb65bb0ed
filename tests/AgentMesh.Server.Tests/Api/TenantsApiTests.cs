using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgentMesh.Core;
using AgentMesh.Core.Tenants;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary><c>/api/tenants</c>: the tenant grains through the node's real wiring, with the rules' refusals as 400s.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class TenantsApiTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task A_tenant_is_created_gets_members_and_a_repo_moved_from_another_tenant()
    {
        var (acme, globex) = (NewAccount(), NewAccount());

        using (var created = await _node.Client.PostJsonAsync("/api/tenants", new { account = acme.ToUpperInvariant() }))
        {
            created.Headers.Location!.ToString().ShouldBe($"/api/tenants/{acme}");
            (await created.ReadAsync<TenantState>(HttpStatusCode.Created)).Account.ShouldBe(acme, "the key is the lower-case login");
        }
        (await _node.Client.PostJsonAsync("/api/tenants", new { account = globex })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await PutAsync($"/api/tenants/{acme}/members/alice", new { role = "admin" }, HttpStatusCode.OK);
        await PutAsync($"/api/tenants/{acme}/members/bob", new { role = "viewer" }, HttpStatusCode.OK);
        await PutAsync($"/api/tenants/{acme}/budget", new { dailyTokens = 2_000_000, monthlyCostUsd = (decimal?)null }, HttpStatusCode.OK);
        await PutAsync($"/api/tenants/{globex}/repos/acme/widgets", null, HttpStatusCode.OK);

        var moved = await (await PutAsync($"/api/tenants/{acme}/repos/acme/widgets", null, HttpStatusCode.OK)).ReadAsync<TenantState>(HttpStatusCode.OK);

        moved.Repos.ShouldBe([new TenantRepo("acme/widgets", TenantRepo.ByHand)]);
        moved.Budget.ShouldBe(new TenantBudget(2_000_000, null));
        moved.Members.ShouldBe([new TenantMember("alice", TenantRole.Admin), new TenantMember("bob", TenantRole.Viewer)]);
        (await (await _node.Client.GetAsync(new Uri($"/api/tenants/{globex}", UriKind.Relative))).ReadAsync<TenantState>(HttpStatusCode.OK)).Repos.ShouldBeEmpty();
        var all = await (await _node.Client.GetAsync(new Uri("/api/tenants", UriKind.Relative))).ReadAsync<List<TenantState>>(HttpStatusCode.OK);
        all.Select(t => t.Account).ShouldContain(acme);
        all.Select(t => t.Account).ShouldContain(globex);
        using var json = await _node.Client.GetAsync(new Uri($"/api/tenants/{acme}", UriKind.Relative));
        (await json.Content.ReadAsStringAsync()).ShouldContain("{\"login\":\"alice\",\"role\":\"admin\"}");
    }

    [Fact]
    public async Task Refusals_say_why_and_change_nothing()
    {
        var acme = NewAccount();
        (await _node.Client.PostJsonAsync("/api/tenants", new { account = acme })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await PutAsync($"/api/tenants/{acme}/members/alice", new { role = "admin" }, HttpStatusCode.OK);

        await (await _node.Client.DeleteAsync(new Uri($"/api/tenants/{acme}/members/alice", UriKind.Relative)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, $"Cannot remove alice: tenant {acme} needs at least one admin.");
        await (await PutAsync($"/api/tenants/{acme}/members/alice", new { role = "viewer" }, HttpStatusCode.BadRequest))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, $"Cannot demote alice: tenant {acme} needs at least one admin.");
        await (await _node.Client.PostJsonAsync("/api/tenants", new { account = "not a login" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "A tenant is a GitHub account or organisation login: letters, digits and single hyphens, at most 39 characters (was 'not a login').");
        await (await _node.Client.GetAsync(new Uri("/api/tenants/nobody-here", UriKind.Relative)))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "Tenant nobody-here does not exist.");
        await (await PutAsync("/api/tenants/nobody-here/members/alice", new { role = "admin" }, HttpStatusCode.NotFound))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "Tenant nobody-here does not exist.");
        await (await PutAsync($"/api/tenants/{acme}/budget", new { dailyTokens = 0 }, HttpStatusCode.BadRequest))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "TenantBudget is invalid: DailyTokens must be positive or null for unlimited (was 0).");
        using var misspelt = new StringContent("{\"rol\":\"admin\"}", Encoding.UTF8, "application/json");
        (await _node.Client.PutAsync(new Uri($"/api/tenants/{acme}/members/bob", UriKind.Relative), misspelt)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var after = await (await _node.Client.GetAsync(new Uri($"/api/tenants/{acme}", UriKind.Relative))).ReadAsync<TenantState>(HttpStatusCode.OK);
        after.Members.ShouldBe([new TenantMember("alice", TenantRole.Admin)]);
    }

    [Fact]
    public async Task The_tenant_endpoints_need_the_admin_token()
    {
        using var response = await _node.Anonymous.GetAsync(new Uri("/api/tenants", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private async Task<HttpResponseMessage> PutAsync(string path, object? body, HttpStatusCode expected)
    {
        var response = body is null
            ? await _node.Client.PutAsync(new Uri(path, UriKind.Relative), null)
            : await _node.Client.PutAsJsonAsync(path, body, CoreJson.Options);
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return response;
    }

    private static string NewAccount() => $"t{Guid.NewGuid():N}"[..12];
}
