using System.Text.Json;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Repos;
using AgentMesh.Core.Tenants;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Pipeline;
using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Pipeline;

/// <summary>Whether an event becomes work, and what it does to a job, with the reason recorded when it says no.</summary>
public sealed class WorkIntentHandlerTests
{
    private static readonly RepoConfig AutoSolve = new() { Enabled = true, AutoSolve = true };

    [Fact]
    public async Task An_unconfigured_repo_gets_no_job()
    {
        await using var world = await IntakeWorld.StartAsync();

        var outcome = await world.Handler.HandleAsync(IntakeWorld.Opened(1), CancellationToken.None);

        outcome.ShouldBe("not admitted: octo/widgets is not configured in AgentMesh");
        (await world.JobsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_opened_issue_on_an_autosolve_repo_becomes_one_queued_job_however_often_it_arrives()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);

        var first = await world.Handler.HandleAsync(IntakeWorld.Opened(4), CancellationToken.None);
        var second = await world.Handler.HandleAsync(IntakeWorld.Opened(4), CancellationToken.None);

        var job = (await world.JobsAsync()).ShouldHaveSingleItem();
        first.ShouldBe($"job {job.Id} created");
        second.ShouldBe($"job {job.Id} is already queued");
        job.State.ShouldBe(JobState.Queued);
        job.NaturalKey.ShouldBe("octo/widgets#4:solve_issue");
    }

    [Fact]
    public async Task GitHub_spelling_a_repo_in_other_letter_case_finds_the_repo_as_it_was_configured_and_its_job()
    {
        // GitHub's names ignore case: a webhook may say Octo/Widgets for the repo enabled as octo/widgets.
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);

        var opened = await world.Handler.HandleAsync(IntakeWorld.Opened(5) with { Repo = "Octo/Widgets" }, CancellationToken.None);
        var again = await world.Handler.HandleAsync(IntakeWorld.Opened(5), CancellationToken.None);
        var closed = await world.Handler.HandleAsync(new WorkIntent.IssueClosed("OCTO/widgets", 5), CancellationToken.None);

        var job = (await world.JobsAsync()).ShouldHaveSingleItem("one job, under the configured name");
        opened.ShouldBe($"job {job.Id} created");
        again.ShouldBe($"job {job.Id} is already queued");
        closed.ShouldBe($"job {job.Id}: closed");
        job.NaturalKey.ShouldBe("octo/widgets#5:solve_issue");
        (await world.Store.Jobs.ListAsync(new JobQuery())).ShouldAllBe(j => j.Repo == "octo/widgets", "no job under GitHub's spelling");
    }

    [Fact]
    public async Task A_repo_configured_in_other_letter_case_is_still_told_apart_from_another_repo()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);

        var outcome = await world.Handler.HandleAsync(IntakeWorld.Opened(6) with { Repo = "octo/gadgets" }, CancellationToken.None);

        outcome.ShouldContain("not configured");
        (await world.JobsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refusal_is_recorded_with_its_reason_in_the_repo_actors_history()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);
        world.Permissions.Writers.Clear();

        var outcome = await world.Handler.HandleAsync(IntakeWorld.Opened(4, author: "mallory"), CancellationToken.None);

        outcome.ShouldStartWith("not admitted: AuthorNotAllowed");
        (await world.JobsAsync()).ShouldBeEmpty();
        var events = await world.Store.Actors.ReadEventsAsync(RepoActor.ActorType, "octo/widgets", 0, 10);
        var rejection = events.Single(e => e.Type == "admission_rejected");
        rejection.DataJson.ShouldContain("\"author\":\"mallory\"");
        rejection.DataJson.ShouldContain("\"reason\":\"author_not_allowed\"");
    }

    [Fact]
    public async Task The_allowed_users_list_replaces_the_write_permission_check()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve with { AllowedUsers = ["bob"] });

        (await world.Handler.HandleAsync(IntakeWorld.Opened(1, author: "alice"), CancellationToken.None)).ShouldStartWith("not admitted: AuthorNotAllowed");
        (await world.Handler.HandleAsync(IntakeWorld.Opened(2, author: "bob"), CancellationToken.None)).ShouldEndWith("created");

        world.Permissions.Asked.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_mention_in_a_comment_triggers_a_job_when_autosolve_is_off()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", new RepoConfig { Enabled = true, TriggerMention = "@agentmesh" });

        var ignored = await world.Handler.HandleAsync(IntakeWorld.Opened(5), CancellationToken.None);
        var comment = new WorkIntent.IssueComment("octo/widgets", 5, "alice", "@agentmesh please", IntakeWorld.Mentioned(5, "alice", "@agentmesh please"));
        var started = await world.Handler.HandleAsync(comment, CancellationToken.None);

        ignored.ShouldStartWith("not admitted: AutoSolveOff");
        started.ShouldEndWith("created");
    }

    [Fact]
    public async Task A_reply_from_an_allowed_user_requeues_a_waiting_job_with_the_answer()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);
        await world.Handler.HandleAsync(IntakeWorld.Opened(6), CancellationToken.None);
        var queued = (await world.Store.Jobs.ListClaimableAsync(10)).ShouldHaveSingleItem();
        var claim = (await world.Store.Jobs.TryClaimAsync(queued.Id, "node/1", queued.Repo, repoLimit: 1)).Claimed!;
        await world.Jobs.SendAsync(claim.Job.Id, new Start("node/1", claim.Lease.Fence), claim.Lease);
        await world.Jobs.SendAsync(claim.Job.Id, new ReportNeedsClarification(["Which colour?"]), claim.Lease);

        var stranger = await world.Handler.HandleAsync(new WorkIntent.IssueComment("octo/widgets", 6, "mallory", "Red!", null), CancellationToken.None);
        var reply = await world.Handler.HandleAsync(new WorkIntent.IssueComment("octo/widgets", 6, "alice", "Blue.", null), CancellationToken.None);

        stranger.ShouldBe($"job {claim.Job.Id}: reply from mallory ignored (not an allowed user)");
        reply.ShouldBe($"job {claim.Job.Id}: reply received, re-queued");
        var (record, state) = (await world.Jobs.GetAsync(claim.Job.Id))!.Value;
        record.State.ShouldBe(JobState.Queued);
        record.LeaseOwner.ShouldBeNull();
        state.Clarification!.Answer!.Text.ShouldBe("Blue.");
    }

    [Fact]
    public async Task Over_the_repos_daily_budget_a_job_waits_for_the_next_day_instead_of_failing()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve with { DailyTokenBudget = 1000 });
        await world.Repos.RecordUsageAsync("octo/widgets", 1000);

        await world.Handler.HandleAsync(IntakeWorld.Opened(7), CancellationToken.None);

        var job = (await world.JobsAsync()).ShouldHaveSingleItem();
        job.State.ShouldBe(JobState.Queued);
        job.RunAfter.ShouldBe(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        (await world.Store.Jobs.ListClaimableAsync(10)).ShouldBeEmpty("it may not run before the window frees");
        (await world.Store.Jobs.TryClaimAsync(job.Id, "node/1", job.Repo, repoLimit: 1)).Claimed.ShouldBeNull("it may not run before the window frees");
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 22, 0, 0, 1, TimeSpan.Zero));
        (await world.Store.Jobs.TryClaimAsync(job.Id, "node/1", job.Repo, repoLimit: 1)).Claimed.ShouldNotBeNull();
    }

    [Fact]
    public async Task Over_the_global_hourly_budget_every_repos_new_work_waits_for_the_next_hour()
    {
        await using var world = await IntakeWorld.StartAsync(new GlobalBudgetOptions { HourlyTokens = 500 });
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);
        await world.Repos.SetConfigAsync("octo/gadgets", AutoSolve);
        await world.Repos.RecordUsageAsync("octo/gadgets", 600);

        await world.Handler.HandleAsync(IntakeWorld.Opened(8), CancellationToken.None);

        (await world.Budget.LedgerAsync()).UsedThisHour(world.Clock.GetUtcNow()).ShouldBe(600);
        var job = (await world.JobsAsync()).ShouldHaveSingleItem();
        job.RunAfter.ShouldBe(new DateTimeOffset(2026, 11, 21, 11, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Over_the_tenants_daily_budget_a_job_of_any_of_its_repos_waits_with_the_tenants_budget_recorded_as_the_reason()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve with { DailyTokenBudget = 5_000 });
        await world.Repos.SetConfigAsync("octo/gadgets", AutoSolve);
        await TenantOfAsync(world, "acme", new TenantBudget(DailyTokens: 1_000, MonthlyCostUsd: null), "octo/widgets", "octo/gadgets");
        await world.Repos.RecordUsageAsync("octo/gadgets", 600);
        await world.Repos.RecordUsageAsync("octo/widgets", 399);

        var under = await world.Handler.HandleAsync(IntakeWorld.Opened(20), CancellationToken.None);
        await world.Repos.RecordUsageAsync("octo/gadgets", 1);
        var at = await world.Handler.HandleAsync(IntakeWorld.Opened(21), CancellationToken.None);

        under.ShouldEndWith("created", customMessage: "999 of the tenant's 1000 tokens leave room");
        var jobs = await world.JobsAsync();
        jobs.Single(j => j.NaturalKey == "octo/widgets#20:solve_issue").RunAfter.ShouldBe(world.Clock.GetUtcNow(), "it may run at once");
        var held = jobs.Single(j => j.NaturalKey == "octo/widgets#21:solve_issue");
        held.RunAfter.ShouldBe(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        const string reason = "The tenant acme's daily token budget (1000) is spent; work resumes at 2026-11-22 00:00:00Z.";
        at.ShouldBe($"job {held.Id} created, held until 2026-11-22 00:00:00Z: DailyBudgetExhausted: {reason}");
        var deferral = (await world.Store.Actors.ReadEventsAsync(RepoActor.ActorType, "octo/widgets", 0, 50)).Single(e => e.Type == "admission_deferred");
        using (var data = JsonDocument.Parse(deferral.DataJson))
        {
            data.RootElement.GetProperty("job").GetString().ShouldBe(held.Id);
            data.RootElement.GetProperty("reason").GetString().ShouldBe("daily_budget_exhausted");
            data.RootElement.GetProperty("message").GetString().ShouldBe(reason);
            data.RootElement.GetProperty("retryAt").GetDateTimeOffset().ShouldBe(held.RunAfter);
        }
        (await world.Store.Jobs.ListClaimableAsync(10)).ShouldHaveSingleItem("the held job may not run before the tenant's day ends")
            .Id.ShouldBe(jobs.Single(j => j.NaturalKey == "octo/widgets#20:solve_issue").Id);
    }

    [Fact]
    public async Task Over_the_tenants_monthly_cost_a_job_waits_for_the_next_month_and_last_months_cost_does_not_count()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);
        await world.Repos.SetConfigAsync("octo/gadgets", AutoSolve);
        await TenantOfAsync(world, "acme", new TenantBudget(DailyTokens: null, MonthlyCostUsd: 50m), "octo/widgets", "octo/gadgets");
        await world.Store.Usage.RecordAsync(new RunUsage("octo/gadgets", new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), 10, 500m, true));
        await world.Repos.RecordRunUsageAsync("octo/gadgets", 10, 30m, succeeded: true);

        var under = await world.Handler.HandleAsync(IntakeWorld.Opened(30), CancellationToken.None);
        await world.Repos.RecordRunUsageAsync("octo/widgets", 10, 20m, succeeded: false);
        var at = await world.Handler.HandleAsync(IntakeWorld.Opened(31), CancellationToken.None);

        under.ShouldEndWith("created", customMessage: "October's $500 is not this month's, and $30 of $50 leaves room");
        var held = (await world.JobsAsync()).Single(j => j.NaturalKey == "octo/widgets#31:solve_issue");
        held.RunAfter.ShouldBe(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        at.ShouldEndWith(": MonthlyCostBudgetExhausted: The tenant acme's monthly cost budget ($50.00) is spent; work resumes at 2026-12-01 00:00:00Z.");
    }

    [Fact]
    public async Task Another_tenants_spent_budget_does_not_hold_this_tenants_work()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);
        await world.Repos.SetConfigAsync("octo/gadgets", AutoSolve);
        await TenantOfAsync(world, "acme", new TenantBudget(DailyTokens: 100, MonthlyCostUsd: null), "octo/gadgets");
        await TenantOfAsync(world, "octo", new TenantBudget(DailyTokens: 100, MonthlyCostUsd: null), "octo/widgets");
        await world.Repos.RecordUsageAsync("octo/gadgets", 5_000);

        var outcome = await world.Handler.HandleAsync(IntakeWorld.Opened(40), CancellationToken.None);

        outcome.ShouldEndWith("created");
        (await world.JobsAsync()).ShouldHaveSingleItem().RunAfter.ShouldBe(world.Clock.GetUtcNow(), "it may run at once");
    }

    private static async Task TenantOfAsync(IntakeWorld world, string account, TenantBudget budget, params string[] repos)
    {
        (await world.Tenants.CreateAsync(account)).Done.ShouldBeTrue();
        foreach (var repo in repos)
        {
            (await world.Tenants.MoveRepoAsync(repo, account)).Done.ShouldBeTrue();
        }
        (await world.Tenants.SetBudgetAsync(account, budget)).Done.ShouldBeTrue();
    }

    [Fact]
    public async Task A_closed_issue_closes_its_job_and_a_later_mention_reruns_it()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);
        await world.Handler.HandleAsync(IntakeWorld.Opened(9), CancellationToken.None);
        var job = (await world.JobsAsync()).Single();

        var closed = await world.Handler.HandleAsync(new WorkIntent.IssueClosed("octo/widgets", 9), CancellationToken.None);
        var rerun = await world.Handler.HandleAsync(IntakeWorld.Mentioned(9, "alice", "@agentmesh try again"), CancellationToken.None);

        closed.ShouldBe($"job {job.Id}: closed");
        rerun.ShouldBe($"job {job.Id} re-run");
        var (record, state) = (await world.Jobs.GetAsync(job.Id))!.Value;
        record.State.ShouldBe(JobState.Queued);
        state.Run.ShouldBe(2);
    }

    [Fact]
    public async Task Feedback_on_a_pull_request_agentmesh_did_not_open_is_ignored()
    {
        await using var world = await IntakeWorld.StartAsync();
        await world.Repos.SetConfigAsync("octo/widgets", AutoSolve);

        var outcome = await world.Handler.HandleAsync(new WorkIntent.Feedback("octo/widgets", 12, "feature/x", "alice", "Rename it."), CancellationToken.None);

        outcome.ShouldBe("ignored: PR #12 is not AgentMesh's");
    }
}
