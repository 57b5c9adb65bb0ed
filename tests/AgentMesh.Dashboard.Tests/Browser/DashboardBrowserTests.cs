using System.Diagnostics;
using AgentMesh.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Browser;

/// <summary>
/// What a person does in the browser, against a real node: sign in with the console link, watch a
/// card appear when GitHub sends a webhook, and find that a viewer cannot stop a job. The tests save
/// a screenshot of each page into docs/dashboard/ (shown in docs/dashboard.md).
/// </summary>
public sealed class DashboardBrowserTests
{
    /// <summary>Blazor's first render after a navigation (circuit start) on a loaded 2-core machine.</summary>
    private const float PageTimeoutMs = 30_000;

    private static string Screenshots => Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "docs", "dashboard")).FullName;

    [Fact]
    public async Task The_console_link_signs_in_once_as_admin_and_a_card_appears_within_a_second_of_the_webhook()
    {
        await using var node = await DashboardNode.StartAsync();
        var link = node.ConsoleSignInLink;
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.NewPageAsync();

        // Signed out, every page sends the person to the sign-in page.
        await page.GotoAsync(new Uri(node.BaseAddress, "/jobs/anything").ToString());
        new Uri(page.Url).AbsolutePath.ShouldBe("/signin");
        (await page.TextContentAsync("body"))!.ShouldContain("one-time link the node printed on its console");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "sign-in.png") });

        await page.GotoAsync(link);
        await page.Locator("[data-testid=who]").Filter(new() { HasText = "console · admin" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        new Uri(page.Url).AbsolutePath.ShouldBe("/");
        page.Url.ShouldNotContain("#", customMessage: "the token stays in the address bar");

        // The link works once: a second browser opening it is refused.
        await using (var other = await Chromium.LaunchAsync())
        {
            var again = await other.NewPageAsync();
            await again.GotoAsync(link);
            await again.GetByText("unknown, expired or already used").WaitForAsync(new() { Timeout = PageTimeoutMs });
        }

        // The node's first job warms it up (first webhook, first query plans); the second is timed.
        var first = await node.OpenIssueAsync("Warm the node up");
        await Card(page, first).WaitForAsync(new() { Timeout = PageTimeoutMs });
        var watch = Stopwatch.StartNew();
        var second = await node.OpenIssueAsync("Add a hello file");
        await Card(page, second).WaitForAsync(new() { Timeout = 1_000 });
        watch.Stop();
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
        (await page.Locator("[data-column=queued] [data-testid=job-card]").CountAsync()).ShouldBe(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "board.png") });

        await Card(page, second).Locator("a").ClickAsync();
        await page.Locator("[data-testid=job-state]").Filter(new() { HasText = "queued" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        (await page.Locator("[data-testid=job-title]").TextContentAsync()).ShouldBe($"{DashboardNode.Repo}#{second}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "job.png") });
    }

    [Fact]
    public async Task A_viewer_cannot_stop_a_job_that_a_maintainer_can()
    {
        await using var node = await DashboardNode.StartAsync();
        var number = await node.OpenIssueAsync("Add a hello file");
        var (jobId, state) = await node.JobAsync(number);
        state.ShouldBe("queued");
        await using var adminBrowser = await Chromium.LaunchAsync();
        var admin = await adminBrowser.NewPageAsync();
        await admin.GotoAsync(node.ConsoleSignInLink);
        await admin.Locator("[data-testid=who]").WaitForAsync(new() { Timeout = PageTimeoutMs });

        // The admin makes a one-time viewer link for someone.
        await admin.GotoAsync(new Uri(node.BaseAddress, "/admin/sign-in-links").ToString());
        await admin.Locator("input[data-testid=invite-name]").FillAsync("vera");
        await admin.Locator("[data-testid=invite-create]").ClickAsync();
        var viewerLink = (await admin.Locator("[data-testid=invite-link]").TextContentAsync(new() { Timeout = PageTimeoutMs }))!.Trim();
        viewerLink.ShouldContain("/signin/local#");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "sign-in-links.png") });

        await using var viewerBrowser = await Chromium.LaunchAsync();
        var viewer = await viewerBrowser.NewPageAsync();
        await viewer.GotoAsync(viewerLink);
        await viewer.Locator("[data-testid=who]").Filter(new() { HasText = "vera · viewer" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        await viewer.Locator("[data-testid=read-only]").WaitForAsync(new() { Timeout = PageTimeoutMs });
        await viewer.GotoAsync(new Uri(node.BaseAddress, $"/jobs/{Uri.EscapeDataString(jobId)}").ToString());
        await viewer.Locator("[data-testid=job-state]").Filter(new() { HasText = "queued" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        (await viewer.Locator("[data-testid=stop]").CountAsync()).ShouldBe(0);
        (await viewer.Locator("[data-testid=chat-send]").CountAsync()).ShouldBe(0);
        var refused = await viewer.GotoAsync(new Uri(node.BaseAddress, "/admin/sign-in-links").ToString());
        refused!.Status.ShouldBe(403);
        new Uri(viewer.Url).AbsolutePath.ShouldBe("/signin/denied");
        (await viewer.TextContentAsync("body"))!.ShouldContain("Your role does not allow that page.");
        (await node.JobAsync(number)).State.ShouldBe("queued");

        // The same job on the admin's page: Stop is there, asks, and stops it; the viewer's page follows.
        await viewer.GotoAsync(new Uri(node.BaseAddress, $"/jobs/{Uri.EscapeDataString(jobId)}").ToString());
        await viewer.Locator("[data-testid=job-state]").Filter(new() { HasText = "queued" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        await admin.GotoAsync(new Uri(node.BaseAddress, $"/jobs/{Uri.EscapeDataString(jobId)}").ToString());
        await admin.Locator("[data-testid=stop]").ClickAsync(new() { Timeout = PageTimeoutMs });
        await admin.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync(new() { Timeout = PageTimeoutMs });
        await viewer.Locator("[data-testid=job-state]").Filter(new() { HasText = "stopped" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        (await node.JobAsync(number)).State.ShouldBe("stopped");
    }

    [Fact]
    public void A_missing_chromium_fails_with_how_to_install_it()
    {
        var missing = Should.Throw<InvalidOperationException>(() => Chromium.RequireExecutable("/nonexistent/chromium"));

        missing.Message.ShouldContain("Chromium is missing at /nonexistent/chromium");
        missing.Message.ShouldContain("apt-get install -y chromium");
        missing.Message.ShouldContain("./build.sh test");
    }

    private static ILocator Card(IPage page, int number) =>
        page.Locator("[data-testid=job-card]").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"{DashboardNode.Repo}#{number}(?![0-9])") });
}
