using System.Net;
using System.Net.Http.Headers;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Server.Api.Nodes;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary><c>/api/nodes</c>: the cluster from Orleans membership; <c>/orleans</c>: the Orleans dashboard, for admins only.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class NodesApiTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task The_node_lists_its_own_silo_from_membership_with_its_metadata()
    {
        NodeView? self = null;
        await Eventually.UntilAsync(
            async () =>
            {
                var nodes = await (await _node.Client.GetAsync(new Uri("/api/nodes", UriKind.Relative))).ReadAsync<List<NodeView>>(HttpStatusCode.OK);
                self = nodes.SingleOrDefault(n => n.NodeId == _node.NodeId);
                return self is not null;
            },
            $"node {_node.NodeId} to appear in /api/nodes once its silo is a member");

        self!.Alive.ShouldBeTrue();
        self.Status.ShouldBe("active");
        self.Silo.ShouldStartWith("127.0.0.1:");
        self.Stopping.ShouldBeFalse();
        self.Roles.ShouldBe(["web", "worker"]);
        self.Slots.ShouldBe(2);
        self.Version.ShouldNotBeNullOrEmpty("the silo's metadata carries its version");
        self.StartedAt.ShouldNotBeNull("membership knows when the silo started");
        self.StartedAt!.Value.ShouldBeLessThanOrEqualTo(DateTimeOffset.UtcNow);
        self.HeartbeatAt.ShouldNotBeNull("membership has the silo's last I-am-alive");
    }

    [Theory]
    [InlineData("/orleans/")]
    [InlineData("/orleans/ClusterStats")]
    public async Task The_orleans_dashboard_and_its_api_are_served_to_the_admin_token(string path)
    {
        using var served = await _node.Client.GetAsync(new Uri(path, UriKind.Relative));

        served.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_orleans_dashboard_page_is_html_for_the_admin_token()
    {
        using var served = await _node.Client.GetAsync(new Uri("/orleans/", UriKind.Relative));

        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await served.Content.ReadAsStringAsync()).ShouldContain("<html", Case.Insensitive);
    }

    [Theory]
    [InlineData("/orleans/")]
    [InlineData("/orleans/ClusterStats")]
    public async Task The_orleans_dashboard_and_its_api_are_served_to_a_person_signed_in_to_the_dashboard_as_admin(string path)
    {
        using var admin = await _node.SignedInClientAsync(DashboardRoles.Admin);

        using var served = await admin.GetAsync(new Uri(path, UriKind.Relative));

        served.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(DashboardRoles.Maintainer, "/orleans/")]
    [InlineData(DashboardRoles.Maintainer, "/orleans/ClusterStats")]
    [InlineData(DashboardRoles.Viewer, "/orleans/")]
    [InlineData(DashboardRoles.Viewer, "/orleans/ClusterStats")]
    public async Task The_orleans_dashboard_refuses_a_signed_in_maintainer_or_viewer_with_403(string role, string path)
    {
        using var person = await _node.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");

        using var refused = await person.SendAsync(request);

        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "The Orleans dashboard is for admins; your dashboard sign-in does not have the admin role.");
    }

    [Fact]
    public async Task An_anonymous_browser_opening_the_orleans_dashboard_is_sent_to_the_dashboard_sign_in()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _node.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orleans/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var redirected = await browser.SendAsync(request);

        redirected.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirected.Headers.Location!.ToString().ShouldBe($"{_node.BaseAddress.GetLeftPart(UriPartial.Authority)}/signin?ReturnUrl=%2Forleans%2F");
    }

    [Fact]
    public async Task An_anonymous_call_to_the_orleans_dashboards_api_is_refused_with_401()
    {
        using var refused = await _node.Anonymous.GetAsync(new Uri("/orleans/ClusterStats", UriKind.Relative));

        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "The Orleans dashboard needs a dashboard sign-in with the admin role, or an 'Authorization: Bearer <admin token>' header.");
        refused.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }

    [Fact]
    public async Task A_wrong_token_is_refused_even_alongside_an_admins_sign_in()
    {
        using var admin = await _node.SignedInClientAsync(DashboardRoles.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orleans/ClusterStats");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-admin-token");

        using var refused = await admin.SendAsync(request);

        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "The admin token was refused.");
    }

    [Fact]
    public async Task A_dashboard_admins_sign_in_does_not_open_the_admin_api()
    {
        using var admin = await _node.SignedInClientAsync(DashboardRoles.Admin);

        using var refused = await admin.GetAsync(new Uri("/api/nodes", UriKind.Relative));

        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
