using System.Net;
using AgentMesh.Server.Api.Nodes;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary><c>/api/nodes</c>: the node's own heartbeat, read back from the store.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class NodesApiTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task The_node_lists_its_own_heartbeat_as_alive()
    {
        NodeView? self = null;
        await Eventually.UntilAsync(
            async () =>
            {
                var nodes = await (await _node.Client.GetAsync(new Uri("/api/nodes", UriKind.Relative))).ReadAsync<List<NodeView>>(HttpStatusCode.OK);
                self = nodes.SingleOrDefault(n => n.NodeId == _node.NodeId);
                return self is not null;
            },
            $"node {_node.NodeId} to appear in /api/nodes after its first heartbeat");

        self!.Alive.ShouldBeTrue();
        self.Stopping.ShouldBeFalse();
        self.Roles.ShouldContain("web");
        self.HeartbeatAt.ShouldBeGreaterThanOrEqualTo(self.StartedAt);
    }
}
