using AgentMesh.Dashboard.Components.Jobs;
using AgentMesh.Core.Jobs;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Dashboard.Tests.Support;
using AgentMesh.Guardrails.Audit;
using Bunit;
using MudBlazor;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

public sealed class JobPageTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_log_shows_the_tail_then_each_new_line_once_in_sequence()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 3, JobState.Running);
        await Seeder.AppendLogAsync(id, JobPage.TailLines + 100, "before");

        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => Sequences(cut).Count.ShouldBe(JobPage.TailLines), Wait);
        Sequences(cut)[0].ShouldBe(101);

        for (var batch = 0; batch < 5; batch++)
        {
            await Seeder.AppendLogAsync(id, 3, $"live {batch}");
        }

        cut.WaitForAssertion(() => Sequences(cut)[^1].ShouldBe(JobPage.TailLines + 115), Wait);
        Sequences(cut).ShouldBe(Enumerable.Range(101, JobPage.TailLines + 15).Select(i => (long)i).ToList());
        cut.Find("[data-seq='615']").TextContent.ShouldContain("live 4 3");
    }

    [Fact]
    public async Task The_header_shows_state_usage_links_and_follows_the_job()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 4, JobState.Running, tokens: 2_000, cost: 1.5m);

        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid=job-state]").TextContent.ShouldContain("running"), Wait);
        cut.Find("[data-testid=job-title]").TextContent.ShouldBe("octo/widgets#4");
        cut.Find("[data-testid=job-usage]").TextContent.ShouldContain("2,000 tokens · $1.50");
        cut.Find("[data-testid=issue-link]").GetAttribute("href").ShouldBe("https://github.example/octo/widgets/issues/4");

        await Seeder.MoveAsync(id, JobState.Failed);

        cut.WaitForAssertion(() => cut.Find("[data-testid=job-state]").TextContent.ShouldContain("failed"), Wait);
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=history] .mud-timeline-item").Count.ShouldBe(2), Wait);
        cut.Find("[data-testid=stop]").HasAttribute("disabled").ShouldBeTrue();
        cut.Find("[data-testid=retry]").HasAttribute("disabled").ShouldBeFalse();
    }

    [Fact]
    public async Task A_runs_audit_shows_its_tool_calls_files_changed_and_people()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 5, JobState.Running);
        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid=job-state]").TextContent.ShouldContain("running"), Wait);
        var audit = new RunAudit(
            "octo/widgets#5:solve_issue",
            1,
            [
                new AuditToolCall(DateTimeOffset.UnixEpoch, "Bash", "dotnet test", [], []),
                new AuditToolCall(DateTimeOffset.UnixEpoch, "Write", null, [], ["src/Hello.cs"]),
            ],
            0,
            [new FileChange("src/Hello.cs", null, 12, 3), new FileChange("logo.png", null, null, null)],
            [new AuditPersonAction("octo", AuditRole.Triggered, DateTimeOffset.UnixEpoch)]);

        await Seeder.Store.Jobs.TurnAsync(id, null, record =>
            new AgentMesh.Storage.Abstractions.JobChange(record.State, record.DataJson, [new AgentMesh.Storage.Abstractions.NewEvent(RunAuditJson.EventType, RunAuditJson.Serialize(audit))], []));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=audit]").Count.ShouldBe(1), Wait);
        cut.Find("[data-testid=audit]").TextContent.ShouldContain("Audit of run 1");
        cut.FindAll("[data-testid=audit-call]").Select(c => c.TextContent.Trim()).ShouldBe(["Bash: dotnet test", "Write: src/Hello.cs"]);
        cut.FindAll("[data-testid=audit-file]").Select(f => f.TextContent).ShouldBe(["src/Hello.cs+12 −3", "logo.pngbinary"]);
        cut.Find("[data-testid=audit-person]").TextContent.ShouldContain("octo (triggered)");
    }

    [Fact]
    public async Task Tool_calls_and_their_results_show_as_such()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 8, JobState.Running);
        await Seeder.Store.Logs.AppendAsync(id, [
            new NewLogLine("agent", "Let me look at the tests."),
            new NewLogLine("tool", "Bash {\"command\":\"dotnet test\"}"),
            new NewLogLine("tool_result", "Passed! 12 tests"),
            new NewLogLine("tool", "Read {\"file_path\":\"src/Hello.cs\"}"),
            new NewLogLine("tool_error", "file not found"),
        ]);

        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=tool-call]").Count.ShouldBe(2), Wait);
        cut.FindAll("[data-testid=tool-call]").Select(c => c.TextContent.Trim()).ShouldBe(["⚙ Bash", "⚙ Read"]);
        cut.Find("[data-seq='2']").TextContent.ShouldContain("{\"command\":\"dotnet test\"}");
        cut.Find("[data-testid=tool-result]").TextContent.ShouldContain("↳ Passed! 12 tests");
        cut.Find("[data-testid=tool-error]").TextContent.ShouldContain("file not found");
        cut.Find("[data-seq='5']").GetAttribute("data-kind").ShouldBe(nameof(LogLineKind.ToolError));
        cut.Find("[data-seq='1']").GetAttribute("data-kind").ShouldBe(nameof(LogLineKind.Agent));
    }

    [Fact]
    public async Task What_an_agent_prints_is_shown_as_text_never_as_markup()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 11, JobState.Running);
        await Seeder.Store.Logs.AppendAsync(id, [
            new NewLogLine("agent", "<b>bold</b> & <script>alert(1)</script>"),
            new NewLogLine("tool", "<img src=x onerror=alert(1)> {\"a\":\"<i>\"}"),
        ]);

        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));

        cut.WaitForAssertion(() => Sequences(cut).Count.ShouldBe(2), Wait);
        cut.Find("[data-seq='1']").TextContent.ShouldContain("<b>bold</b> & <script>alert(1)</script>");
        cut.Find("[data-testid=tool-call]").TextContent.Trim().ShouldBe("⚙ <img");
        cut.Find("[data-seq='2']").TextContent.ShouldContain("src=x onerror=alert(1)> {\"a\":\"<i>\"}");
        cut.FindAll("#job-log b, #job-log script, #job-log img, #job-log i").ShouldBeEmpty("no element comes from a line's text");
    }

    [Fact]
    public async Task A_new_batch_renders_again_only_the_block_of_lines_it_joins()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 12, JobState.Running);
        await Seeder.AppendLogAsync(id, 250, "before");
        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => Sequences(cut).Count.ShouldBe(250), Wait);
        var before = cut.FindComponents<LogLineBlock>().Select(b => b.RenderCount).ToList();
        before.Count.ShouldBe(3, "lines 1–99, 100–199 and 200–250");

        await Seeder.AppendLogAsync(id, 3, "live");

        cut.WaitForAssertion(() => Sequences(cut)[^1].ShouldBe(253), Wait);
        var after = cut.FindComponents<LogLineBlock>().Select(b => b.RenderCount).ToList();
        after.Take(2).ShouldBe(before.Take(2), "the full blocks are not rendered again");
        after[^1].ShouldBeGreaterThan(before[^1], "the last block shows the new lines");
        Sequences(cut).ShouldBe(Enumerable.Range(1, 253).Select(i => (long)i).ToList());
    }

    [Fact]
    public async Task Search_shows_only_the_matching_lines_and_new_lines_that_match()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 9, JobState.Running);
        await Seeder.Store.Logs.AppendAsync(id, [
            new NewLogLine("agent", "compiling"),
            new NewLogLine("tool", "Bash {\"command\":\"dotnet build\"}"),
            new NewLogLine("tool_result", "error CS1002: ; expected"),
        ]);
        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => Sequences(cut).Count.ShouldBe(3), Wait);

        cut.Find("input[data-testid=log-search], [data-testid=log-search] input").Input("ERROR");

        cut.WaitForAssertion(() => Sequences(cut).ShouldBe([3L]), Wait);
        cut.Find("[data-testid=log-matches]").TextContent.ShouldContain("1 matching");
        await Seeder.Store.Logs.AppendAsync(id, [new NewLogLine("agent", "fixed the error"), new NewLogLine("agent", "done")]);
        cut.WaitForAssertion(() => Sequences(cut).ShouldBe([3L, 4L]), Wait);

        cut.Find("input[data-testid=log-search], [data-testid=log-search] input").Input("");
        cut.WaitForAssertion(() => Sequences(cut).ShouldBe([1L, 2L, 3L, 4L, 5L]), Wait);
    }

    [Fact]
    public async Task Tokens_and_cost_show_per_run_and_attempt()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 10, JobState.Running);
        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid=job-state]").TextContent.ShouldContain("running"), Wait);

        await RecordUsageAsync(id, run: 1, attempt: 1, tokens: 1_000, cost: 0.10m);
        await RecordUsageAsync(id, run: 1, attempt: 1, tokens: 500, cost: 0.05m);
        await RecordUsageAsync(id, run: 1, attempt: 2, tokens: 2_000, cost: 0.20m);
        await RecordUsageAsync(id, run: 2, attempt: 1, tokens: 300, cost: 0.03m);

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=run-usage-row]").Count.ShouldBe(3), Wait);
        cut.FindAll("[data-testid=run-usage-row]").Select(r => string.Join("|", r.QuerySelectorAll("td").Select(td => td.TextContent))).ShouldBe([
            "1|1|1,500|$0.15",
            "1|2|2,000|$0.20",
            "2|1|300|$0.03",
        ]);
    }

    private Task RecordUsageAsync(string id, int run, int attempt, long tokens, decimal cost)
    {
        var usage = new AgentMesh.Core.Jobs.Events.UsageRecorded(DateTimeOffset.UnixEpoch, run, attempt, new TokenUsage(tokens, 0, 0, 0), cost, UsageTotals.Zero);
        var json = System.Text.Json.JsonSerializer.Serialize<AgentMesh.Core.Jobs.Events.JobEvent>(usage, AgentMesh.Core.CoreJson.Options);
        return Seeder.Store.Jobs.TurnAsync(id, null, record => new JobChange(record.State, record.DataJson, [new NewEvent("usage_recorded", json)], []));
    }

    [Fact]
    public async Task Stop_asks_for_confirmation_then_stops()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 5, JobState.Running);
        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        var dialogs = Render<MudDialogProvider>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=stop]"), Wait);

        var click = cut.Find("[data-testid=stop]").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Find(".mud-dialog").TextContent.ShouldContain("Stop octo/widgets#5?"), Wait);
        Actions.Calls.ShouldBeEmpty();
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Stop").Click();
        await click;

        Actions.Calls.ShouldBe([$"stop {id} by a-maintainer"]);
    }

    [Fact]
    public async Task Chat_sends_a_message_or_interrupts_then_sends()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 6, JobState.Running);
        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => cut.Find("textarea[data-testid=chat-text], [data-testid=chat-text] textarea"), Wait);

        cut.Find("textarea[data-testid=chat-text], [data-testid=chat-text] textarea").Input("use tabs");
        await cut.Find("[data-testid=chat-send]").ClickAsync(new());
        cut.Find("textarea[data-testid=chat-text], [data-testid=chat-text] textarea").Input("stop, use spaces");
        await cut.Find("[data-testid=chat-interrupt]").ClickAsync(new());

        Actions.Calls.ShouldBe([$"message {id} by a-maintainer: use tabs", $"interrupt {id} by a-maintainer: stop, use spaces"]);
    }

    [Fact]
    public async Task A_viewer_gets_no_stop_retry_or_chat()
    {
        SignInAs(DashboardRoles.Viewer);
        var id = await Seeder.EnqueueAsync("octo/widgets", 7, JobState.Running);

        var cut = Render<JobPage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid=job-state]").TextContent.ShouldContain("running"), Wait);

        cut.FindAll("[data-testid=stop], [data-testid=retry], [data-testid=chat-send], [data-testid=chat-interrupt]").ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_job_says_so()
    {
        var cut = Render<JobPage>(p => p.Add(x => x.Id, "no-such-job"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=job-missing]").TextContent.ShouldContain("no-such-job does not exist"), Wait);
    }

    private static List<long> Sequences(IRenderedComponent<JobPage> cut) =>
        [.. cut.FindAll("[data-seq]").Select(e => long.Parse(e.GetAttribute("data-seq")!, System.Globalization.CultureInfo.InvariantCulture))];
}
