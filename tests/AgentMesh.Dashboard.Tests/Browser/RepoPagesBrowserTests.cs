using System.Net;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Browser;

/// <summary>
/// The repos, usage and cluster pages against a real node: connecting a repository creates its
/// webhook on GitHub with a secret of its own, which the node then verifies deliveries with. The
/// tests save screenshots of the three pages into docs/dashboard/ (shown in docs/dashboard.md).
/// </summary>
public sealed class RepoPagesBrowserTests
{
    /// <summary>Blazor's first render after a navigation (circuit start) on a loaded 2-core machine.</summary>
    private const float PageTimeoutMs = 30_000;

    private static string Screenshots => Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "docs", "dashboard")).FullName;

    [Fact]
    public async Task Connecting_a_repository_creates_its_webhook_with_its_own_secret_which_the_node_then_verifies()
    {
        await using var node = await DashboardNode.StartAsync();
        node.InviteBotTo(DashboardNode.InvitedRepo);
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(node.ConsoleSignInLink);
        await page.Locator("[data-testid=who]").WaitForAsync(new() { Timeout = PageTimeoutMs });

        await page.Locator("[data-testid=nav-repos]").ClickAsync();
        await page.Locator($"[data-testid=repo-row][data-repo='{DashboardNode.Repo}']").WaitForAsync(new() { Timeout = PageTimeoutMs });
        await page.Locator("[data-testid=connect-open]").ClickAsync();
        var invited = page.Locator($"[data-testid=connectable-repo][data-repo='{DashboardNode.InvitedRepo}']");
        await invited.Filter(new() { HasText = "invitation pending" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        (await page.Locator("input[data-testid=connect-webhook]").InputValueAsync()).ShouldBe(new Uri(node.BaseAddress, "/webhooks/github").AbsoluteUri);
        await invited.Locator("[data-testid=connect-repo]").ClickAsync();
        await page.Locator("[data-testid=connect-result]").Filter(new() { HasText = $"Connected {DashboardNode.InvitedRepo}" })
            .WaitForAsync(new() { Timeout = PageTimeoutMs });
        (await page.Locator("[data-testid=connect-result]").TextContentAsync())!.ShouldContain("the invitation was accepted");

        // GitHub's side: the invitation accepted, one JSON hook to this node with a 32-byte secret.
        node.BotCollaboratesOn(DashboardNode.InvitedRepo).ShouldBeTrue("the bot's invitation to the repository is accepted");
        var hook = node.HooksOf(DashboardNode.InvitedRepo).ShouldHaveSingleItem();
        hook.Url.ShouldBe(new Uri(node.BaseAddress, "/webhooks/github"));
        hook.ContentType.ShouldBe("json");
        hook.Secret.ShouldMatch("^[0-9a-f]{64}$");
        hook.Events.ShouldContain("issues");

        // The secret is never shown after it is made: not on the page, not in the node's output.
        (await page.ContentAsync()).ShouldNotContain(hook.Secret);
        node.Program.Output.ShouldNotContain(hook.Secret);

        // The new repository is listed, enabled; the page is what the docs show.
        var row = page.Locator($"[data-testid=repo-row][data-repo='{DashboardNode.InvitedRepo}']");
        await row.Locator("[data-testid=repo-status]").Filter(new() { HasText = "enabled" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        await page.Locator("[data-testid=connect-repo]:not([disabled])").First.WaitForAsync(new() { Timeout = PageTimeoutMs });
        await page.Locator("[data-testid=connect-panel]").ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "repos-connect.png") });

        // A delivery signed with the repository's own secret is accepted; one signed with another is refused.
        (await node.DeliverIssueThroughHooksAsync(DashboardNode.InvitedRepo, "Signed with the hook's secret")).ShouldBe([HttpStatusCode.Accepted]);
        (await node.SendSignedIssueAsync(DashboardNode.InvitedRepo, "not-the-hooks-secret")).ShouldBe(HttpStatusCode.Unauthorized);

        // The editor: a bad value is refused with the admin API's message.
        await row.Locator("[data-testid=repo-edit]").ClickAsync();
        await page.Locator("input[data-testid=edit-max-concurrent]").FillAsync("0");
        await page.Locator("[data-testid=editor-save]").ClickAsync();
        await page.Locator("[data-testid=editor-error]")
            .Filter(new() { HasText = $"The configuration of {DashboardNode.InvitedRepo} is invalid: MaxConcurrentJobs must be between 1 and 100 (was 0)." })
            .WaitForAsync(new() { Timeout = PageTimeoutMs });
        await page.Locator("[data-testid=repo-toggle]:not([disabled])").First.WaitForAsync(new() { Timeout = PageTimeoutMs });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "repos.png"), FullPage = true });
        await page.Locator("input[data-testid=edit-max-concurrent]").FillAsync("3");
        await page.Locator("[data-testid=editor-save]").ClickAsync();
        await page.Locator("[data-testid=repo-editor]").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = PageTimeoutMs });
        await row.Locator("td").Nth(4).Filter(new() { HasText = "3" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
    }

    [Fact]
    public async Task The_usage_and_cluster_pages_show_the_nodes_numbers()
    {
        await using var node = await DashboardNode.StartAsync();
        var now = DateTimeOffset.UtcNow;
        await node.RecordUsageAsync(
        [
            .. Enumerable.Range(0, 7).Select(day => new RunUsage(DashboardNode.Repo, now.AddDays(-day), 20_000 + 5_000 * (day % 3), 0.6m + 0.1m * day, Succeeded: day % 4 != 1)),
            .. Enumerable.Range(0, 5).Select(day => new RunUsage("octo/gadgets", now.AddDays(-day), 8_000 + 2_000 * day, 0.25m, Succeeded: true)),
        ]);
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1400, 1000);
        await page.GotoAsync(node.ConsoleSignInLink);
        await page.Locator("[data-testid=who]").WaitForAsync(new() { Timeout = PageTimeoutMs });

        await page.Locator("[data-testid=nav-usage]").ClickAsync();
        await page.Locator($"[data-testid=usage-row][data-repo='{DashboardNode.Repo}']").WaitForAsync(new() { Timeout = PageTimeoutMs });
        (await page.Locator("[data-testid=usage-row]").CountAsync()).ShouldBe(2);
        (await page.Locator("[data-testid=success-rate]").TextContentAsync())!.ShouldBe("83%");
        await page.Locator("[data-testid=gauge][data-scope=global][data-window=day]").WaitForAsync(new() { Timeout = PageTimeoutMs });
        await page.Locator("[data-testid=tokens-chart] svg").First.WaitForAsync(new() { Timeout = PageTimeoutMs });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "usage.png"), FullPage = true });

        await page.Locator("[data-testid=nav-cluster]").ClickAsync();
        var self = page.Locator("[data-testid=node-row][data-node='dashboard-node']");
        await self.Locator("[data-testid=node-status]").Filter(new() { HasText = "active" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        (await self.Locator("[data-testid=node-roles]").TextContentAsync())!.ShouldBe("web");
        (await page.Locator("[data-testid=orleans-link]").GetAttributeAsync("href")).ShouldBe("/orleans");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "cluster.png"), FullPage = true });

        // The link's target lets this admin's sign-in in (the browser holds no admin token): the page and the
        // calls its scripts make.
        var orleans = await page.GotoAsync(new Uri(node.BaseAddress, "/orleans/").ToString());
        orleans.ShouldNotBeNull().Status.ShouldBe(200);
        var stats = await page.Context.APIRequest.GetAsync(new Uri(node.BaseAddress, "/orleans/ClusterStats").ToString());
        stats.Status.ShouldBe(200);
    }
}
