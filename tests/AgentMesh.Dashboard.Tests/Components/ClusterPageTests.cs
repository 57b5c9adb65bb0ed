using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Cluster;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

public sealed class ClusterPageTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public ClusterPageTests()
    {
        Services.AddSingleton<IClusterView>(new FixedCluster(
        [
            new ClusterNode("node-a", "10.0.0.1:11111@1", "active", ["web", "worker"], 4, 1, false, "1.2.3", DateTimeOffset.UnixEpoch, true,
                [new RunningAgent("octo/widgets#7:solve_issue", "octo/widgets", 7, "running", "node-a/0")]),
            new ClusterNode("node-b", "10.0.0.2:11111@1", "dead", ["worker"], 2, 0, false, "1.2.3", null, false, []),
        ]));
    }

    [Fact]
    public void Each_silo_shows_its_role_status_slots_and_running_agents()
    {
        var cut = Render<ClusterPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=node-row]").Count.ShouldBe(2), Wait);
        var a = cut.Find("[data-testid=node-row][data-node='node-a']");
        a.QuerySelector("[data-testid=node-status]")!.TextContent.ShouldBe("active");
        a.QuerySelector("[data-testid=node-roles]")!.TextContent.ShouldBe("web, worker");
        a.QuerySelector("[data-testid=node-used]")!.TextContent.ShouldBe("1 of 4");
        a.QuerySelector("[data-testid=node-free]")!.TextContent.ShouldBe("3");
        var agent = a.QuerySelector("[data-testid=node-agent]")!;
        agent.TextContent.ShouldBe("octo/widgets#7 (running, node-a/0)");
        agent.GetAttribute("href").ShouldBe("/jobs/octo%2Fwidgets%237%3Asolve_issue");
        cut.Find("[data-testid=node-row][data-node='node-b'] [data-testid=node-status]").TextContent.ShouldBe("dead");
        cut.Find("[data-testid=cluster-summary]").TextContent.ShouldContain("1 of 2 nodes alive · 1 agents running · 3 slots free");
    }

    [Fact]
    public void The_page_reads_the_cluster_again_every_few_seconds()
    {
        var clock = new AgentMesh.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cluster = new FixedCluster([]);
        Services.AddSingleton<TimeProvider>(clock);
        Services.AddSingleton<IClusterView>(cluster);
        var cut = Render<ClusterPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=cluster-summary]").TextContent.ShouldContain("0 of 0 nodes alive"), Wait);

        cluster.Nodes = [new ClusterNode("node-c", "10.0.0.3:11111@1", "joining", ["worker"], 1, 0, false, "1.2.3", null, true, [])];
        clock.Advance(ClusterPage.RefreshInterval);

        cut.WaitForAssertion(() => cut.Find("[data-testid=node-row][data-node='node-c'] [data-testid=node-status]").TextContent.ShouldBe("joining"), Wait);
    }

    [Theory]
    [InlineData(DashboardRoles.Admin, true)]
    [InlineData(DashboardRoles.Maintainer, false)]
    [InlineData(DashboardRoles.Viewer, false)]
    public void Only_admins_get_the_link_to_the_Orleans_dashboard(string role, bool linked)
    {
        SignInAs(role);

        var cut = Render<ClusterPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=node-row]").Count.ShouldBe(2), Wait);
        var links = cut.FindAll("[data-testid=orleans-link]");
        links.Count.ShouldBe(linked ? 1 : 0);
        if (linked)
        {
            links[0].GetAttribute("href").ShouldBe("/orleans");
        }
    }

    private sealed class FixedCluster(IReadOnlyList<ClusterNode> nodes) : IClusterView
    {
        public IReadOnlyList<ClusterNode> Nodes { get; set; } = nodes;

        public Task<IReadOnlyList<ClusterNode>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(Nodes);
    }
}
