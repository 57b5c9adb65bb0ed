using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Repos;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Tests.Api;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Worker;

/// <summary>
/// Budgets are asked again when a queued job is about to run: a job admitted while there was budget, whose
/// budget was spent before its turn, waits for the window instead of running (a real node, on a fake clock so the
/// UTC day cannot turn over mid-test).
/// </summary>
public sealed class BudgetBeforeRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_job_whose_repo_spent_its_daily_budget_after_admission_waits_for_the_next_day_without_counting_an_attempt()
    {
        await using var node = await AdminApiNode.StartAsync(timeProvider: new FakeTimeProvider(Now));
        var repo = await ConfigureRepoWithADailyBudgetAsync(node);
        var job = await node.CreateJobAsync(repo, 7);
        // Other work of the repo spends the budget after this job was admitted.
        await node.App.Services.GetRequiredService<RepoActor>().RecordUsageAsync(repo, 1_000);
        var claimed = (await node.Store.Jobs.TryClaimAsync(job.Id, "budget-worker/1", job.Repo, repoLimit: 1)).Claimed.ShouldNotBeNull();
        claimed.Job.Id.ShouldBe(job.Id);

        await node.App.Services.GetRequiredService<JobExecution>().RunAsync(claimed, CancellationToken.None);

        var after = (await node.Store.Jobs.GetAsync(job.Id)).ShouldNotBeNull();
        after.State.ShouldBe(JobState.Queued, "the job waits; it is neither started nor failed");
        after.LeaseOwner.ShouldBeNull("the claim is given back for any worker to take when the window opens");
        after.RunAfter.ShouldBe(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), "the daily budget frees at UTC midnight");
        after.Attempt.ShouldBe(job.Attempt, "a run that never started is not an attempt");
        var history = await node.Store.History.ReadAsync(job.Id, 0, 100);
        var held = history.Where(h => h.Type == JobActor.HeldForBudgetEvent).ShouldHaveSingleItem();
        held.DataJson.ShouldContain("daily token budget (1000) is spent", Case.Insensitive);
        (await node.Store.Logs.TailAsync(job.Id, 10)).ShouldBeEmpty("no agent ran, so nothing was logged");
    }

    [Fact]
    public async Task Approved_work_is_pushed_although_the_budget_is_spent_since_pushing_it_spends_no_tokens()
    {
        await using var node = await AdminApiNode.StartAsync(timeProvider: new FakeTimeProvider(Now));
        var repo = await ConfigureRepoWithADailyBudgetAsync(node);
        var job = await node.CreateJobAsync(repo, 8);
        await ApproveHeldWorkAsync(node, job);
        await node.App.Services.GetRequiredService<RepoActor>().RecordUsageAsync(repo, 1_000);
        var claimed = (await node.Store.Jobs.TryClaimAsync(job.Id, "budget-worker/1", job.Repo, repoLimit: 1)).Claimed.ShouldNotBeNull();

        await node.App.Services.GetRequiredService<JobExecution>().RunAsync(claimed, CancellationToken.None);

        var history = await node.Store.History.ReadAsync(job.Id, 0, 100);
        history.ShouldNotContain(h => h.Type == JobActor.HeldForBudgetEvent, "pushing approved work is not held for a budget");
        history.ShouldContain(h => h.Type == "job_claimed", "the run started (this node has no GitHub to push to, so it goes no further)");
    }

    [Fact]
    public async Task A_job_whose_budget_is_not_spent_is_not_held()
    {
        await using var node = await AdminApiNode.StartAsync(timeProvider: new FakeTimeProvider(Now));
        var repo = await ConfigureRepoWithADailyBudgetAsync(node);
        await node.App.Services.GetRequiredService<RepoActor>().RecordUsageAsync(repo, 999);

        (await node.App.Services.GetRequiredService<RepoActor>().CheckBudgetsAsync(repo)).ShouldBeNull("999 of 1000 tokens leaves budget");
        await node.App.Services.GetRequiredService<RepoActor>().RecordUsageAsync(repo, 1);
        var spent = (await node.App.Services.GetRequiredService<RepoActor>().CheckBudgetsAsync(repo)).ShouldNotBeNull("1000 of 1000 tokens is spent");
        spent.RetryAt.ShouldBe(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
    }

    /// <summary>Gives the queued job work of its current run held for protected paths and approved by a maintainer.</summary>
    private static async Task ApproveHeldWorkAsync(AdminApiNode node, JobRecord job)
    {
        var state = JobActor.Deserialize(job.DataJson);
        var approved = state with { Held = new HeldWork(state.Run, "0123456789abcdef", "Edited the workflow.", [".github/workflows/ci.yml"], 0, Now, ApprovedBy: "maria") };
        await node.Store.Jobs.TurnAsync(job.Id, null, current => new JobChange(current.State, JsonSerializer.Serialize(approved, CoreJson.Options), [], []));
    }

    /// <summary>A new repo, enabled, with a daily budget of 1,000 tokens.</summary>
    private static async Task<string> ConfigureRepoWithADailyBudgetAsync(AdminApiNode node)
    {
        var repo = AdminApiNode.NewRepo();
        using var configured = await node.Client.PutAsJsonAsync($"/api/repos/{repo}", new RepoConfig { Enabled = true, AutoSolve = true, DailyTokenBudget = 1_000 }, CoreJson.Options);
        configured.StatusCode.ShouldBe(HttpStatusCode.OK);
        return repo;
    }
}
