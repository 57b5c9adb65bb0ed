using System.Text.RegularExpressions;
using AgentMesh.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Browser;

/// <summary>
/// Tenants as people meet them, against a real node and the fake GitHub: GitHub sign-in lands each person in
/// their tenant with their role, a tenant's member never sees another tenant's jobs, a job started from the
/// dashboard opens its issue on GitHub, and a card dragged to closed closes that issue.
/// </summary>
public sealed class TenantBrowserTests
{
    private const float PageTimeoutMs = 30_000;

    private static string Screenshots => Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "docs", "dashboard")).FullName;

    [Fact]
    public async Task GitHub_sign_in_lands_each_person_in_their_tenant_and_role_and_a_member_sees_only_its_jobs()
    {
        await using var node = await DashboardNode.StartAsync();
        // Tenant octo holds octo/widgets, with mia as maintainer; tenant globex holds globex/tools, and gus is in the globex organisation.
        await node.SendAsync(HttpMethod.Post, "/api/tenants", new { account = "octo" });
        await node.SendAsync(HttpMethod.Post, "/api/tenants", new { account = "globex" });
        await node.SendAsync(HttpMethod.Put, "/api/tenants/octo/members/mia", new { role = "maintainer" });
        await node.SendAsync(HttpMethod.Put, $"/api/tenants/octo/repos/{DashboardNode.Repo}");
        await node.SendAsync(HttpMethod.Put, $"/api/tenants/globex/repos/{DashboardNode.OtherRepo}");
        node.GitHub.AddOrganizationMember("globex", "gus");
        var ours = await node.OpenIssueAsync("Add a hello file");
        var theirs = await node.OpenIssueAsync("Rotate the keys", DashboardNode.OtherRepo);
        var (theirJob, _) = await node.JobAsync(theirs, DashboardNode.OtherRepo);

        await using (var browser = await Chromium.LaunchAsync())
        {
            var mia = await SignInWithGitHubAsync(node, browser, "mia");
            await mia.Locator("[data-testid=who]").Filter(new() { HasText = "mia · maintainer · octo" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
            await Card(mia, DashboardNode.Repo, ours).WaitForAsync(new() { Timeout = PageTimeoutMs });
            (await mia.Locator("[data-testid=board-count]").TextContentAsync()).ShouldBe("1 of 1 jobs", "globex's job is not on octo's board");
            (await Card(mia, DashboardNode.OtherRepo, theirs).CountAsync()).ShouldBe(0);

            // The other tenant's job page, by its id, is a missing job: no title, no controls.
            await mia.GotoAsync(new Uri(node.BaseAddress, $"/jobs/{Uri.EscapeDataString(theirJob)}").ToString());
            await mia.Locator("[data-testid=job-missing]").WaitForAsync(new() { Timeout = PageTimeoutMs });
            (await mia.Locator("[data-testid=stop]").CountAsync()).ShouldBe(0);
            (await mia.Locator("[data-testid=job-title]").CountAsync()).ShouldBe(0);

            // A request crafted with her dashboard cookie straight at the node's stop endpoint opens no door either:
            // the admin API takes the admin token, never a dashboard session. (Actions sent on her circuit are refused
            // by the tenant guard: TenantIsolationTests.)
            var crafted = await mia.APIRequest.PostAsync(new Uri(node.BaseAddress, $"/api/jobs/{Uri.EscapeDataString(theirJob)}/stop").ToString());
            crafted.Status.ShouldBe(401);
            (await node.JobAsync(theirs, DashboardNode.OtherRepo)).State.ShouldBe("queued");
        }

        await using (var browser = await Chromium.LaunchAsync())
        {
            var gus = await SignInWithGitHubAsync(node, browser, "gus");
            await gus.Locator("[data-testid=who]").Filter(new() { HasText = "gus · viewer · globex" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
            await Card(gus, DashboardNode.OtherRepo, theirs).WaitForAsync(new() { Timeout = PageTimeoutMs });
            await gus.Locator("[data-testid=read-only]").WaitForAsync(new() { Timeout = PageTimeoutMs });
            (await gus.Locator("[data-testid=board-count]").TextContentAsync()).ShouldBe("1 of 1 jobs");
        }

        await using (var browser = await Chromium.LaunchAsync())
        {
            // GitHub knows dora, AgentMesh's tenants do not: no session.
            node.GitHub.OAuthSignedInUser = "dora";
            var dora = await browser.NewPageAsync();
            await dora.GotoAsync(new Uri(node.BaseAddress, "/signin").ToString());
            await dora.Locator("[data-testid=signin-github]").ClickAsync();
            await dora.Locator("[data-testid=signin-refused]").WaitForAsync(new() { Timeout = PageTimeoutMs });
            await dora.GotoAsync(node.BaseAddress.ToString());
            new Uri(dora.Url).AbsolutePath.ShouldBe("/signin");
        }

        await using (var browser = await Chromium.LaunchAsync())
        {
            var admin = await SignInWithGitHubAsync(node, browser, DashboardNode.AdminLogin);
            await admin.Locator("[data-testid=who]").Filter(new() { HasText = $"{DashboardNode.AdminLogin} · admin" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
            await Card(admin, DashboardNode.Repo, ours).WaitForAsync(new() { Timeout = PageTimeoutMs });
            await Card(admin, DashboardNode.OtherRepo, theirs).WaitForAsync(new() { Timeout = PageTimeoutMs });
            await admin.GotoAsync(new Uri(node.BaseAddress, "/admin/tenants").ToString());
            await admin.Locator("[data-tenant=octo] [data-testid=tenant-member]").Filter(new() { HasText = "mia" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
            await admin.Locator("[data-tenant=globex] [data-testid=tenant-repo]").Filter(new() { HasText = DashboardNode.OtherRepo }).WaitForAsync(new() { Timeout = PageTimeoutMs });
            await admin.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "tenants.png"), FullPage = true });
        }
        node.GitHub.OAuthTokensIssued.ShouldBe(4, "one code exchange per sign-in");
    }

    [Fact]
    public async Task A_job_started_from_repo_and_title_opens_its_issue_and_dragging_its_card_to_closed_closes_the_issue()
    {
        await using var node = await DashboardNode.StartAsync();
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(node.ConsoleSignInLink);
        await page.Locator("[data-testid=who]").Filter(new() { HasText = "console · admin" }).WaitForAsync(new() { Timeout = PageTimeoutMs });

        await page.Locator("[data-testid=new-job]").ClickAsync(new() { Timeout = PageTimeoutMs });
        await page.Locator("input[data-testid=create-repo]").FillAsync(DashboardNode.Repo);
        await page.Locator("input[data-testid=create-title]").FillAsync("Add a goodbye file");
        await page.Locator("textarea[data-testid=create-body]").FillAsync("It says goodbye.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "create-job.png") });
        await page.Locator("[data-testid=create-open-issue]").ClickAsync();

        var issue = await Eventually.ValueAsync(
            () => Task.FromResult(IssueTitled(node, "Add a goodbye file")),
            "the fake GitHub to have the issue the dialog opened");
        issue.Body.ShouldBe("It says goodbye.\n\n_Opened from the AgentMesh dashboard by console._");
        var card = Card(page, DashboardNode.Repo, issue.Number);
        await page.Locator("[data-column=queued] [data-testid=job-card]").Filter(new() { HasTextRegex = Title(DashboardNode.Repo, issue.Number) })
            .WaitForAsync(new() { Timeout = PageTimeoutMs });

        var dialog = page.Locator(".mud-dialog");
        await DragUntilAsync(page, card, page.Locator("[data-column=closed] .mud-drop-zone"), dialog.Filter(new() { HasText = "its issue is closed on GitHub" }));
        issue.State.ShouldBe("open", "nothing happens before the confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        await Eventually.UntilAsync(() => node.GitHub.Issue(DashboardNode.Repo, issue.Number).State == "closed", $"the fake GitHub's {DashboardNode.Repo}#{issue.Number} to be closed");
        (await node.JobAsync(issue.Number)).State.ShouldBe("closed");
        await page.Locator("[data-column=closed] [data-testid=job-card]").Filter(new() { HasTextRegex = Title(DashboardNode.Repo, issue.Number) })
            .WaitForAsync(new() { Timeout = PageTimeoutMs });
    }

    private static async Task<IPage> SignInWithGitHubAsync(DashboardNode node, Chromium browser, string login)
    {
        node.GitHub.OAuthSignedInUser = login;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(node.BaseAddress, "/signin").ToString());
        await page.Locator("[data-testid=signin-github]").ClickAsync();
        await page.Locator("[data-testid=who]").WaitForAsync(new() { Timeout = PageTimeoutMs });
        new Uri(page.Url).AbsolutePath.ShouldBe("/");
        return page;
    }

    /// <summary>
    /// An HTML5 drag as the browser delivers it (dragstart, dragenter, dragover, drop, dragend with one DataTransfer):
    /// what MudBlazor's drop container listens to. Synthetic mouse moves do not start an HTML5 drag in headless chromium.
    /// </summary>
    /// <summary>
    /// Drags until <paramref name="shown"/> appears, at most for the page timeout. The synthetic drag's events
    /// reach the circuit back to back, where a person's drag takes hundreds of milliseconds; now and then a board
    /// update lands between them and MudBlazor drops the drag, which a person would simply make again.
    /// </summary>
    private static async Task DragUntilAsync(IPage page, ILocator source, ILocator target, ILocator shown)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(PageTimeoutMs);
        while (true)
        {
            await DragAsync(page, source, target);
            try
            {
                await shown.WaitForAsync(new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private static async Task DragAsync(IPage page, ILocator source, ILocator target)
    {
        var data = await page.EvaluateHandleAsync("() => new DataTransfer()");
        var init = new Dictionary<string, object> { ["dataTransfer"] = data };
        await source.DispatchEventAsync("dragstart", init);
        await target.DispatchEventAsync("dragenter", init);
        await target.DispatchEventAsync("dragover", init);
        await target.DispatchEventAsync("drop", init);
        await source.DispatchEventAsync("dragend", init);
    }

    private static AgentMesh.FakeGitHub.Model.FakeIssue? IssueTitled(DashboardNode node, string title)
    {
        lock (node.GitHub.State.Gate)
        {
            return node.GitHub.State.Repositories[DashboardNode.Repo].Issues.FirstOrDefault(i => i.Title == title);
        }
    }

    private static ILocator Card(IPage page, string repo, int number) =>
        page.Locator("[data-testid=job-card]").Filter(new() { HasTextRegex = Title(repo, number) });

    private static Regex Title(string repo, int number) => new($"{Regex.Escape(repo)}#{number}(?![0-9])");
}
