using System.Net;
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

    [Fact]
    public async Task The_orleans_dashboard_is_served_to_the_admin_token_only()
    {
        using var refused = await _node.Anonymous.GetAsync(new Uri("/orleans/", UriKind.Relative));
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var served = await _node.Client.GetAsync(new Uri("/orleans/", UriKind.Relative));
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await served.Content.ReadAsStringAsync()).ShouldContain("<html", Case.Insensitive);
    }
}
