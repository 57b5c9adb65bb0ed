using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentMesh.Dashboard.Tests.Browser;
using AgentMesh.FakeModel;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using Microsoft.Playwright;
using Shouldly;
using Xunit;
using static AgentMesh.EndToEnd.Tests.ConversationTests;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>
/// The dashboard in a fleet, as a person meets it: a web node serves the job page while the real Claude Code
/// agent runs on a worker node (PostgreSQL between them), so every live line crosses silos on Orleans streams.
/// It asserts a latency (a line within a second), so it runs alone, after the assembly's parallel tests: on two
/// cores, five other fleets starting at once measure the machine, not the dashboard.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed partial class DashboardFleetTests
{
    private const float PageTimeoutMs = 30_000;

    private const string IsAtBottom = "() => { const e = document.getElementById('job-log'); return e.scrollTop + e.clientHeight >= e.scrollHeight - 16; }";

    [Fact]
    public async Task A_person_watches_an_agent_on_another_silo_live_scrolls_back_and_chats_with_it()
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var world = await World.StartAsync(
            ModelTurn.Bash("seq 1 300"),
            ModelTurn.Stall(),
            CommitFile("hello.txt", "hello with tabs", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt, with tabs as asked."));
        world.Settings["AGENTMESH_Store__Provider"] = "postgres";
        world.Settings["AGENTMESH_Store__ConnectionString"] = connectionString;
        var web = await world.StartNodeAsync("web-1", new Dictionary<string, string> { ["AGENTMESH_Node__Roles"] = "web" });
        await world.StartNodeAsync("worker-1", new Dictionary<string, string> { ["AGENTMESH_Node__Roles"] = "worker" });
        await world.ConfigureRepoAsync(web, new { enabled = true, autoSolve = true });
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(ConsoleSignInLink(web));
        await page.Locator("[data-testid=who]").Filter(new() { HasText = "admin" }).WaitForAsync(new() { Timeout = PageTimeoutMs });

        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        await world.SendIssueOpenedAsync(web, issue);
        await Eventually.UntilAsync(() => world.Model.StalledCount == 1, "the agent on the worker node to be waiting on the model", TimeSpan.FromMinutes(2));
        var jobId = (await world.WaitForJobStateAsync(web, "running", issue.Number)).GetProperty("id").GetString()!;
        await page.GotoAsync(new Uri(web.BaseAddress, $"/jobs/{jobId}").ToString());

        // The tail arrived and the log follows its end.
        await page.Locator("[data-testid=tool-call]").Filter(new() { HasText = "Bash" }).First.WaitForAsync(new() { Timeout = PageTimeoutMs });
        await page.Locator("[data-testid=tool-result]").Filter(new() { HasText = "300" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        await Eventually.UntilAsync(() => page.EvaluateAsync<bool>(IsAtBottom), "the log to follow its end when the page opens");

        // Scrolled up, the person keeps their place while new lines arrive.
        await page.EvaluateAsync("() => { const e = document.getElementById('job-log'); e.scrollTop = 0; e.dispatchEvent(new Event('scroll')); }");
        var linesBefore = await page.Locator("#job-log [data-seq]").CountAsync();

        // A chat message interrupts the waiting agent and becomes its next turn.
        await page.Locator("textarea[data-testid=chat-text], [data-testid=chat-text] textarea").FillAsync("Please use tabs, not spaces.");
        await page.Locator("[data-testid=chat-interrupt]").ClickAsync();
        await Eventually.UntilAsync(() => world.Model.SawUserText("Please use tabs, not spaces."), "the chat message to reach the real Claude Code agent on the worker node", TimeSpan.FromMinutes(1));

        // The commit's tool call is written by the worker; the web node's page shows it within a second of being stored.
        var commitCall = page.Locator("[data-testid=tool-call]").Filter(new() { HasText = "Bash" }).Nth(1);
        await commitCall.WaitForAsync(new() { Timeout = PageTimeoutMs });
        var seenAt = DateTimeOffset.UtcNow;
        var sequence = long.Parse((await commitCall.Locator("xpath=..").GetAttributeAsync("data-seq"))!, CultureInfo.InvariantCulture);
        var storedAt = await StoredAtAsync(world, web, jobId, sequence);
        (seenAt - storedAt).ShouldBeLessThan(TimeSpan.FromSeconds(1), $"line #{sequence} was stored at {storedAt:O} and shown at {seenAt:O}");
        (await page.Locator("#job-log [data-seq]").CountAsync()).ShouldBeGreaterThan(linesBefore);
        (await page.EvaluateAsync<double>("() => document.getElementById('job-log').scrollTop")).ShouldBe(0, "new lines do not pull a reader who scrolled up");

        // Back at the end, the log follows again.
        await page.EvaluateAsync("() => { const e = document.getElementById('job-log'); e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll')); }");
        var job = await world.WaitForJobStateAsync(web, "pr_opened", issue.Number, TimeSpan.FromMinutes(2));
        await page.Locator("[data-testid=job-state]").Filter(new() { HasText = "pr opened" }).WaitForAsync(new() { Timeout = PageTimeoutMs });
        await Eventually.UntilAsync(() => page.EvaluateAsync<bool>(IsAtBottom), "the log to follow its end again once the reader is back at it");
        world.ShowFile($"agentmesh/issue-{issue.Number}", "hello.txt").ShouldBe("hello with tabs\n");
        job.GetProperty("attempt").GetInt32().ShouldBe(1, "the chat did not cost an attempt");
    }

    private static async Task<DateTimeOffset> StoredAtAsync(World world, AgentMeshProgram node, string jobId, long sequence)
    {
        var page = await world.GetJsonAsync(node, $"/api/jobs/{jobId}/logs?after={sequence - 1}&limit=1");
        var lines = page.ValueKind == JsonValueKind.Array ? page : page.GetProperty("lines");
        var line = lines.EnumerateArray().First();
        line.GetProperty("sequence").GetInt64().ShouldBe(sequence);
        return line.GetProperty("at").GetDateTimeOffset();
    }

    private static string ConsoleSignInLink(AgentMeshProgram node)
    {
        var match = SignInLine().Match(node.Stdout);
        match.Success.ShouldBeTrue($"the web node printed no sign-in link:\n{AgentMeshProgram.Tail(node.Output)}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"sign in:\s+(\S+)")]
    private static partial Regex SignInLine();
}

/// <summary>Tests that measure a latency run by themselves, not beside the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "measured alone";
}
