using AgentMesh.Core.Jobs;
using AgentMesh.Server.Reconciliation;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Reconciliation;

/// <summary>
/// One reconciliation pass against a real SQLite store, the real job actor and the fake GitHub:
/// what happened on GitHub while no node was listening reaches the jobs.
/// </summary>
public sealed class JobReconcilerTests
{
    [Fact]
    public async Task A_pull_request_merged_while_no_node_ran_moves_its_job_to_merged()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var job = await world.PrOpenedJobAsync();
        world.GitHub.MergePullRequest(ReconciliationWorld.Repo, job.Pull);

        var pass = await world.NewReconciler().ReconcileOnceAsync();

        pass.ShouldBe(new ReconciliationPass(Checked: 1, Updated: 1, Failed: 0));
        (await world.StateOfAsync(job.Id)).ShouldBe(JobState.Merged);
        var last = await world.LastTransitionOfAsync(job.Id);
        (last.From, last.To, last.Command).ShouldBe((JobState.PrOpened, JobState.Merged, "Merged"));
        (await world.EventTypesOfAsync(job.Id)).Count(t => t == "job_merged").ShouldBe(1);
    }

    [Fact]
    public async Task A_pull_request_closed_without_merge_closes_its_job()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var job = await world.PrOpenedJobAsync();
        await world.OwnerOnGitHub.Octokit.Issue.Update("acme", "widgets", job.Pull, new Octokit.IssueUpdate { State = Octokit.ItemState.Closed, StateReason = Octokit.ItemStateReason.NotPlanned });

        var pass = await world.NewReconciler().ReconcileOnceAsync();

        pass.ShouldBe(new ReconciliationPass(1, 1, 0));
        (await world.StateOfAsync(job.Id)).ShouldBe(JobState.Closed);
        (await world.LastTransitionOfAsync(job.Id)).Command.ShouldBe("PrClosedWithoutMerge");
    }

    [Fact]
    public async Task An_issue_closed_while_its_job_waited_for_a_reply_closes_the_job()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var job = await world.WaitingForReplyJobAsync();
        await world.OwnerOnGitHub.Octokit.Issue.Update("acme", "widgets", job.Issue, new Octokit.IssueUpdate { State = Octokit.ItemState.Closed });

        var pass = await world.NewReconciler().ReconcileOnceAsync();

        pass.ShouldBe(new ReconciliationPass(1, 1, 0));
        (await world.StateOfAsync(job.Id)).ShouldBe(JobState.Closed);
        var last = await world.LastTransitionOfAsync(job.Id);
        (last.From, last.To, last.Command).ShouldBe((JobState.WaitingForReply, JobState.Closed, "IssueClosed"));
    }

    [Fact]
    public async Task Jobs_that_agree_with_GitHub_are_left_as_they_are()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var openPull = await world.PrOpenedJobAsync("Open PR");
        var waiting = await world.WaitingForReplyJobAsync();
        // The PR is still open, so its outcome is undecided even though the issue was closed:
        // the job follows the PR and the reconciler does not even ask about the issue.
        await world.OwnerOnGitHub.Octokit.Issue.Update("acme", "widgets", openPull.Issue, new Octokit.IssueUpdate { State = Octokit.ItemState.Closed });
        world.GitHub.ClearRequests();

        var pass = await world.NewReconciler().ReconcileOnceAsync();

        pass.ShouldBe(new ReconciliationPass(2, 0, 0));
        (await world.StateOfAsync(openPull.Id)).ShouldBe(JobState.PrOpened);
        (await world.StateOfAsync(waiting.Id)).ShouldBe(JobState.WaitingForReply);
        world.RequestsTo("GET", $"repos/acme/widgets/pulls/{openPull.Pull}").ShouldBe(1);
        world.RequestsTo("GET", $"repos/acme/widgets/issues/{openPull.Issue}").ShouldBe(0);
        world.RequestsTo("GET", $"repos/acme/widgets/issues/{waiting.Issue}").ShouldBe(1);
    }

    [Fact]
    public async Task A_GitHub_5xx_for_one_job_does_not_stop_the_pass_and_the_next_pass_catches_up()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var jobs = new[] { await world.PrOpenedJobAsync("One"), await world.PrOpenedJobAsync("Two"), await world.PrOpenedJobAsync("Three") };
        foreach (var job in jobs)
        {
            world.GitHub.MergePullRequest(ReconciliationWorld.Repo, job.Pull);
        }
        var unlucky = jobs[1];
        world.GitHub.FailNext($"repos/acme/widgets/pulls/{unlucky.Pull}", count: 1, statusCode: 502);

        var first = await world.NewReconciler().ReconcileOnceAsync();

        first.ShouldBe(new ReconciliationPass(3, 2, 1));
        (await world.StateOfAsync(jobs[0].Id)).ShouldBe(JobState.Merged);
        (await world.StateOfAsync(unlucky.Id)).ShouldBe(JobState.PrOpened);
        (await world.StateOfAsync(jobs[2].Id)).ShouldBe(JobState.Merged);

        var second = await world.NewReconciler().ReconcileOnceAsync();

        second.ShouldBe(new ReconciliationPass(1, 1, 0));
        (await world.StateOfAsync(unlucky.Id)).ShouldBe(JobState.Merged);
    }

    [Fact]
    public async Task A_pass_pages_through_every_open_job()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var jobs = new List<OpenedJob>();
        for (var i = 0; i < 5; i++)
        {
            var job = await world.PrOpenedJobAsync($"Job {i}");
            world.GitHub.MergePullRequest(ReconciliationWorld.Repo, job.Pull);
            jobs.Add(job);
        }

        var pass = await world.NewReconciler(pageSize: 2).ReconcileOnceAsync();

        pass.ShouldBe(new ReconciliationPass(5, 5, 0));
        foreach (var job in jobs)
        {
            (await world.StateOfAsync(job.Id)).ShouldBe(JobState.Merged, $"job {job.Id} (PR #{job.Pull}) is on a later page than the first");
        }
    }

    [Fact]
    public async Task Two_nodes_reconciling_at_once_merge_each_job_exactly_once()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var jobs = new[] { await world.PrOpenedJobAsync("One"), await world.PrOpenedJobAsync("Two") };
        foreach (var job in jobs)
        {
            world.GitHub.MergePullRequest(ReconciliationWorld.Repo, job.Pull);
        }

        var passes = await Task.WhenAll(world.NewReconciler().ReconcileOnceAsync(), world.NewReconciler().ReconcileOnceAsync());

        passes.Sum(p => p.Updated).ShouldBe(2, "each job is moved by exactly one of the two passes");
        passes.Sum(p => p.Failed).ShouldBe(0);
        foreach (var job in jobs)
        {
            (await world.StateOfAsync(job.Id)).ShouldBe(JobState.Merged);
            (await world.EventTypesOfAsync(job.Id)).Count(t => t == "job_merged").ShouldBe(1);
        }
    }
}
