using AgentMesh.Core.Jobs;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Dashboard.Tests.Support;
using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

public sealed class BoardPageTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Each_job_shows_in_its_state_column_with_attempt_tokens_and_cost()
    {
        await Seeder.EnqueueAsync("octo/widgets", 12, JobState.Queued, tokens: 12_345, cost: 0.42m);
        await Seeder.EnqueueAsync("octo/gadgets", 7, JobState.Failed);

        var cut = Render<BoardPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=job-card]").Count.ShouldBe(2), Wait);
        var queued = CardIn(cut, "queued").ShouldHaveSingleItem();
        queued.TextContent.ShouldContain("octo/widgets#12");
        queued.TextContent.ShouldContain("attempt 1/3");
        queued.TextContent.ShouldContain("12,345 tokens");
        queued.TextContent.ShouldContain("$0.42");
        CardIn(cut, "failed").ShouldHaveSingleItem().TextContent.ShouldContain("octo/gadgets#7");
        CardIn(cut, "running").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_card_moves_column_when_its_job_changes_and_a_new_job_appears()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 1);
        var cut = Render<BoardPage>();
        cut.WaitForAssertion(() => CardIn(cut, "queued").ShouldHaveSingleItem(), Wait);

        await Seeder.MoveAsync(id, JobState.Running);
        await Seeder.EnqueueAsync("octo/widgets", 2);

        cut.WaitForAssertion(() =>
        {
            CardIn(cut, "running").ShouldHaveSingleItem().TextContent.ShouldContain("octo/widgets#1");
            CardIn(cut, "queued").ShouldHaveSingleItem().TextContent.ShouldContain("octo/widgets#2");
        }, Wait);
    }

    [Fact]
    public async Task Filters_narrow_the_board_by_repo_state_and_text()
    {
        await Seeder.EnqueueAsync("octo/widgets", 1);
        await Seeder.EnqueueAsync("octo/widgets", 2, JobState.Failed);
        await Seeder.EnqueueAsync("octo/gadgets", 3);
        var cut = Render<BoardPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=job-card]").Count.ShouldBe(3), Wait);

        cut.Find("input[data-testid=filter-repo], [data-testid=filter-repo] input").Input("octo/widgets");
        cut.WaitForAssertion(() => Titles(cut).ShouldBe(["octo/widgets#1", "octo/widgets#2"], ignoreOrder: true), Wait);

        cut.Find("input[data-testid=filter-text], [data-testid=filter-text] input").Input("#2");
        cut.WaitForAssertion(() => Titles(cut).ShouldBe(["octo/widgets#2"]), Wait);

        cut.Find("input[data-testid=filter-repo], [data-testid=filter-repo] input").Input("");
        cut.Find("input[data-testid=filter-text], [data-testid=filter-text] input").Input("");
        cut.WaitForAssertion(() => Titles(cut).Count.ShouldBe(3), Wait);
    }

    [Fact]
    public async Task Moving_a_failed_card_to_queued_asks_then_re_runs_it()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 5, JobState.Failed);
        var cut = Render<BoardPage>();
        var dialogs = Render<MudDialogProvider>();
        cut.WaitForAssertion(() => CardIn(cut, "failed").ShouldHaveSingleItem(), Wait);
        var card = JobCard.From((await Seeder.Store.Jobs.GetAsync(id))!);

        var move = cut.InvokeAsync(() => cut.Instance.MoveAsync(card, JobState.Queued));
        dialogs.WaitForAssertion(() => dialogs.Find(".mud-dialog").TextContent.ShouldContain("Re-run octo/widgets#5"), Wait);
        Actions.Calls.ShouldBeEmpty();
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Re-run").Click();
        await move;

        Actions.Calls.ShouldBe([$"retry {id} by a-maintainer"]);
    }

    [Fact]
    public async Task Cancelling_the_confirmation_sends_nothing()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 6);
        var cut = Render<BoardPage>();
        var dialogs = Render<MudDialogProvider>();
        cut.WaitForAssertion(() => CardIn(cut, "queued").ShouldHaveSingleItem(), Wait);
        var card = JobCard.From((await Seeder.Store.Jobs.GetAsync(id))!);

        var move = cut.InvokeAsync(() => cut.Instance.MoveAsync(card, JobState.Stopped));
        dialogs.WaitForAssertion(() => dialogs.Find(".mud-dialog").TextContent.ShouldContain("Stop octo/widgets#6"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        await move;

        Actions.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_illegal_move_is_refused_with_the_reason_and_sends_nothing()
    {
        var id = await Seeder.EnqueueAsync("octo/widgets", 8, JobState.Running);
        var cut = Render<BoardPage>();
        cut.WaitForAssertion(() => CardIn(cut, "running").ShouldHaveSingleItem(), Wait);
        var card = JobCard.From((await Seeder.Store.Jobs.GetAsync(id))!);

        await cut.InvokeAsync(() => cut.Instance.MoveAsync(card, JobState.Queued));

        Actions.Calls.ShouldBeEmpty();
        Services.GetService<ISnackbar>()!.ShownSnackbars.Select(s => s.Message).ShouldBe(
            ["Only a failed or stopped job can be re-queued; octo/widgets#8 is running."]);
    }

    [Fact]
    public async Task A_viewer_sees_the_board_read_only_and_cannot_move_a_card()
    {
        SignInAs(DashboardRoles.Viewer);
        var id = await Seeder.EnqueueAsync("octo/widgets", 9, JobState.Failed);
        var cut = Render<BoardPage>();
        cut.WaitForAssertion(() => CardIn(cut, "failed").ShouldHaveSingleItem(), Wait);
        cut.Find("[data-testid=read-only]");
        var card = JobCard.From((await Seeder.Store.Jobs.GetAsync(id))!);

        await cut.InvokeAsync(() => cut.Instance.MoveAsync(card, JobState.Queued));

        Actions.Calls.ShouldBeEmpty();
        Services.GetService<ISnackbar>()!.ShownSnackbars.Select(s => s.Message).ShouldBe(["Your role can watch jobs but not move them."]);
    }

    [Fact]
    public async Task A_broken_feed_keeps_the_last_board_and_says_live_updates_stopped()
    {
        await Seeder.EnqueueAsync("octo/widgets", 10);
        Services.AddSingleton<IJobFeed>(new BreakingFeed());

        var cut = Render<BoardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=feed-error]").TextContent.ShouldBe("Live updates stopped (the store went away). Reload the page to resume."), Wait);
        CardIn(cut, "queued").ShouldHaveSingleItem();
    }

    /// <summary>A feed that goes live, then fails, as a lost database connection would.</summary>
    private sealed class BreakingFeed : IJobFeed
    {
        public async IAsyncEnumerable<JobFeedNotice> SubscribeAsync(string? jobId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return new JobFeedNotice(JobFeedKind.Resync, "", 0);
            await Task.Yield();
            throw new InvalidOperationException("the store went away");
        }
    }

    private static List<IElement> CardIn(IRenderedComponent<BoardPage> cut, string column) =>
        [.. cut.FindAll($"[data-column={column}] [data-testid=job-card]")];

    private static List<string> Titles(IRenderedComponent<BoardPage> cut) =>
        [.. cut.FindAll("[data-testid=job-card] a").Select(a => a.TextContent.Trim())];
}
