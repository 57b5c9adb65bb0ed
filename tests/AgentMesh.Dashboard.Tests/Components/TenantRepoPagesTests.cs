using AgentMesh.Core.Repos;
using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Cluster;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Repos;
using AgentMesh.Dashboard.Tests.Support;
using AgentMesh.Dashboard.Usage;
using AgentMesh.Storage.Abstractions;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

/// <summary>A member of one tenant sees its own repos on the repos, usage and cluster pages, and changes only those.</summary>
public sealed class TenantRepoPagesTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly RecordingRepoSettings _settings = new();
    private readonly RecordingRepoConnector _connector = new();

    public TenantRepoPagesTests()
    {
        Tenants.Add(TenantRules.AssignRepo(new TenantState { Account = "acme" }, "acme/widgets"));
        Tenants.Add(TenantRules.AssignRepo(new TenantState { Account = "globex" }, "globex/tools"));
        _settings.Add("acme/widgets", new RepoConfig { Enabled = true });
        _settings.Add("globex/tools", new RepoConfig { Enabled = true });
        Services.AddSingleton<IRepoSettings>(_settings);
        Services.AddSingleton<IRepoConnector>(_connector);
        Services.AddSingleton<IBudgetGauges>(new Gauges());
        Services.AddSingleton<IClusterView>(new OneNode());
    }

    [Fact]
    public async Task The_repos_page_lists_the_tenants_repos_refuses_another_tenants_and_offers_no_connect()
    {
        SignInAs(DashboardRoles.Maintainer, "acme");
        var cut = Render<ReposPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=repo-row]").Select(r => r.GetAttribute("data-repo")).ShouldBe(["acme/widgets"]), Wait);
        cut.FindAll("[data-testid=connect-open]").ShouldBeEmpty();

        var other = (await _settings.ListAsync(default)).Single(r => r.Repo == "globex/tools");
        await cut.InvokeAsync(() => cut.Instance.ToggleAsync(other));
        await cut.InvokeAsync(() => cut.Instance.ConnectAsync("acme/new"));

        _settings.Calls.ShouldBeEmpty();
        _connector.Calls.ShouldBeEmpty();
        Services.GetService<ISnackbar>()!.ShownSnackbars.Select(s => s.Message).ShouldBe(
            ["Repo globex/tools is not one of your tenant's repos.", "Connecting a repository is for admins and people without a tenant."]);
    }

    [Fact]
    public async Task The_usage_and_cluster_pages_show_the_tenants_repos_only()
    {
        SignInAs(DashboardRoles.Viewer, "acme");
        await Seeder.Store.Usage.RecordAsync(new RunUsage("acme/widgets", DateTimeOffset.UtcNow, 100, 0.1m, true));
        await Seeder.Store.Usage.RecordAsync(new RunUsage("globex/tools", DateTimeOffset.UtcNow, 900, 0.9m, true));

        var usage = Render<UsagePage>();
        var cluster = Render<ClusterPage>();

        usage.WaitForAssertion(() => usage.FindAll("[data-testid=usage-row]").Select(r => r.GetAttribute("data-repo")).ShouldBe(["acme/widgets"]), Wait);
        usage.FindAll("[data-testid=gauge]").Select(g => g.GetAttribute("data-scope")).ShouldBe(["global", "acme/widgets"]);
        cluster.WaitForAssertion(() => cluster.FindAll("[data-testid=node-row]").Count.ShouldBe(1), Wait);
        cluster.FindAll("[data-testid=node-agent]").Select(a => a.TextContent).ShouldBe(["acme/widgets#1 (running, node-a/0)"]);
    }

    private sealed class Gauges : IBudgetGauges
    {
        public Task<IReadOnlyList<BudgetGauge>> ReadAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<BudgetGauge>>(
        [
            new(BudgetGauge.Global, BudgetWindow.Day, 1_000, null),
            new("acme/widgets", BudgetWindow.Day, 100, null),
            new("globex/tools", BudgetWindow.Day, 900, null),
        ]);
    }

    private sealed class OneNode : IClusterView
    {
        public Task<IReadOnlyList<ClusterNode>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ClusterNode>>(
        [
            new ClusterNode("node-a", "10.0.0.1:11111@1", "active", ["worker"], 2, 2, false, "1.2.3", null, true,
            [
                new RunningAgent("acme/widgets#1:solve_issue", "acme/widgets", 1, "running", "node-a/0"),
                new RunningAgent("globex/tools#2:solve_issue", "globex/tools", 2, "running", "node-a/1"),
            ]),
        ]);
    }
}
