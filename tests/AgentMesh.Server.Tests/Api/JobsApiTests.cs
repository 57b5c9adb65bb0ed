using System.Net;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Server.Api.Jobs;
using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary><c>/api/jobs</c> against a real node and SQLite file: listing, one job, stop, retry, bulk.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class JobsApiTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task List_filters_by_repo_and_state_and_pages_newest_first()
    {
        var repo = AdminApiNode.NewRepo();
        var first = await _node.CreateJobAsync(repo, 1);
        var second = await _node.CreateJobAsync(repo, 2);
        var third = await _node.CreateJobAsync(repo, 3);
        await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1); // another repo's job never shows
        await _node.Jobs.SendAsync(second.Id, new Stop("tester"));

        var all = await (await _node.Client.GetAsync(Url($"/api/jobs?repo={repo}"))).ReadAsync<JobListPage>(HttpStatusCode.OK);
        var queued = await (await _node.Client.GetAsync(Url($"/api/jobs?repo={repo}&state=queued"))).ReadAsync<JobListPage>(HttpStatusCode.OK);
        var both = await (await _node.Client.GetAsync(Url($"/api/jobs?repo={repo}&state=stopped,queued"))).ReadAsync<JobListPage>(HttpStatusCode.OK);
        var page1 = await (await _node.Client.GetAsync(Url($"/api/jobs?repo={repo}&limit=2"))).ReadAsync<JobListPage>(HttpStatusCode.OK);
        var page2 = await (await _node.Client.GetAsync(Url($"/api/jobs?repo={repo}&limit=2&offset=2"))).ReadAsync<JobListPage>(HttpStatusCode.OK);

        all.Items.Select(j => j.Id).ShouldBe([third.Id, second.Id, first.Id]);
        queued.Items.Select(j => j.Id).ShouldBe([third.Id, first.Id]);
        both.Items.Select(j => j.Id).ShouldBe([third.Id, second.Id, first.Id]);
        page1.Items.Select(j => j.Id).ShouldBe([third.Id, second.Id]);
        (page1.HasMore, page1.Limit, page1.Offset).ShouldBe((true, 2, 0));
        page2.Items.Select(j => j.Id).ShouldBe([first.Id]);
        (page2.HasMore, page2.Offset).ShouldBe((false, 2));

        var stopped = all.Items[1];
        stopped.Repo.ShouldBe(repo);
        stopped.Number.ShouldBe(2);
        stopped.Kind.ShouldBe("solve_issue");
        stopped.State.ShouldBe(JobState.Stopped);
        (stopped.Attempt, stopped.MaxAttempts, stopped.Run).ShouldBe((1, 3, 1));
        stopped.LeaseOwner.ShouldBeNull();
        stopped.PrUrl.ShouldBeNull();
        stopped.Usage.ShouldBe(UsageTotals.Zero);
    }

    [Fact]
    public async Task List_items_carry_usage_lease_and_the_wire_names_of_enums()
    {
        var repo = AdminApiNode.NewRepo();
        var job = await _node.CreateJobAsync(repo, 7, priority: 1000);
        var claim = (await _node.Store.Jobs.TryClaimAsync(job.Id, "node-x/1", job.Repo, repoLimit: 1)).Claimed!;
        claim.Job.Id.ShouldBe(job.Id, "the highest-priority job is the one this test created");
        await _node.Jobs.SendAsync(job.Id, new Start("node-x/1", claim.Lease.Fence), claim.Lease);
        await _node.Jobs.SendAsync(job.Id, new RecordUsage(new TokenUsage(1200, 340, 50, 7), 0.125m), claim.Lease);

        using var response = await _node.Client.GetAsync(Url($"/api/jobs?repo={repo}"));
        var body = await response.Content.ReadAsStringAsync();

        body.ShouldContain("\"state\":\"running\"");
        var item = (await response.ReadAsync<JobListPage>(HttpStatusCode.OK)).Items.ShouldHaveSingleItem();
        item.LeaseOwner.ShouldBe("node-x/1");
        item.Usage.ShouldBe(new UsageTotals(new TokenUsage(1200, 340, 50, 7), 0.125m));
        item.CreatedAt.ShouldBe(job.CreatedAt);
    }

    [Theory]
    [InlineData("state=bogus", "state has 'bogus', which is not a job state; known states: queued, running, waiting_for_reply, waiting_for_approval, pr_opened, fixing, merged, failed, stopped, closed.")]
    [InlineData("state=,", "state must name at least one job state (comma-separated).")]
    [InlineData("limit=-1", "limit must be a whole number from 1 to 500 (was '-1').")]
    [InlineData("limit=501", "limit must be a whole number from 1 to 500 (was '501').")]
    [InlineData("limit=ten", "limit must be a whole number from 1 to 500 (was 'ten').")]
    [InlineData("offset=-5", "offset must be a whole number from 0 to 2147483146 (was '-5').")]
    [InlineData("repo=nope", "repo must be 'owner/name' (was 'nope').")]
    public async Task List_answers_bad_parameters_with_400_naming_the_parameter(string query, string detail)
    {
        using var response = await _node.Client.GetAsync(Url($"/api/jobs?{query}"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Get_returns_the_job_with_the_actor_state_and_404_for_an_unknown_id()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 12);

        var detail = await (await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}"))).ReadAsync<JobDetail>(HttpStatusCode.OK);
        using var missing = await _node.Client.GetAsync(Url("/api/jobs/no-such-job"));

        detail.Summary.Id.ShouldBe(job.Id);
        detail.NaturalKey.ShouldBe($"{job.Repo}#12:solve_issue");
        (detail.Fence, detail.Version, detail.ClaimedAt).ShouldBe((0L, job.Version, null));
        detail.Actor.Id.ShouldBe(job.Id);
        detail.Actor.Number.ShouldBe(12);
        detail.Actor.Kind.ShouldBe(JobKind.SolveIssue);
        detail.Actor.State.ShouldBe(JobState.Queued);
        detail.Actor.MaxFixRounds.ShouldBe(3);
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job no-such-job does not exist.");
    }

    [Fact]
    public async Task Logs_are_read_after_a_sequence_with_a_limit_or_as_the_tail()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1);
        await _node.Store.Logs.AppendAsync(job.Id, [.. Enumerable.Range(1, 5).Select(i => new NewLogLine(i % 2 == 0 ? "stderr" : "stdout", $"line {i}"))]);

        var head = await (await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}/logs?limit=2"))).ReadAsync<JobLogPage>(HttpStatusCode.OK);
        var rest = await (await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}/logs?after={head.Next}"))).ReadAsync<JobLogPage>(HttpStatusCode.OK);
        var none = await (await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}/logs?after={rest.Next}"))).ReadAsync<JobLogPage>(HttpStatusCode.OK);
        var tail = await (await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}/logs?tail=2"))).ReadAsync<JobLogPage>(HttpStatusCode.OK);

        head.Lines.Select(l => (l.Sequence, l.Stream, l.Text)).ShouldBe([(1L, "stdout", "line 1"), (2L, "stderr", "line 2")]);
        (head.Next, head.State, head.Terminal).ShouldBe((2L, JobState.Queued, false));
        rest.Lines.Select(l => l.Text).ShouldBe(["line 3", "line 4", "line 5"]);
        rest.Next.ShouldBe(5);
        none.Lines.ShouldBeEmpty();
        none.Next.ShouldBe(5, "with no new lines the cursor stays where it was");
        tail.Lines.Select(l => l.Sequence).ShouldBe([4L, 5L]);
    }

    [Theory]
    [InlineData("tail=3&after=1", "tail cannot be combined with after or limit: ask for the last lines, or for lines after a sequence number.")]
    [InlineData("tail=0", "tail must be a whole number from 1 to 5000 (was '0').")]
    [InlineData("after=-1", "after must be a whole number from 0 to 9223372036854775807 (was '-1').")]
    [InlineData("limit=0", "limit must be a whole number from 1 to 5000 (was '0').")]
    public async Task Logs_answer_bad_parameters_with_400(string query, string detail)
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1);

        using var response = await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}/logs?{query}"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Logs_and_events_of_an_unknown_job_are_404()
    {
        using var logs = await _node.Client.GetAsync(Url("/api/jobs/ghost/logs"));
        using var events = await _node.Client.GetAsync(Url("/api/jobs/ghost/events"));

        await logs.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job ghost does not exist.");
        await events.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job ghost does not exist.");
    }

    [Fact]
    public async Task Stop_of_a_running_job_releases_its_lease_raises_the_fence_and_refuses_the_old_holder()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1, priority: 1000);
        var claim = (await _node.Store.Jobs.TryClaimAsync(job.Id, "node-y/1", job.Repo, repoLimit: 1)).Claimed!;
        claim.Job.Id.ShouldBe(job.Id);
        await _node.Jobs.SendAsync(job.Id, new Start("node-y/1", claim.Lease.Fence), claim.Lease);

        using var response = await _node.Client.PostAsync(Url($"/api/jobs/{job.Id}/stop"), null);

        var stopped = await response.ReadAsync<JobSummary>(HttpStatusCode.OK);
        (stopped.State, stopped.LeaseOwner).ShouldBe((JobState.Stopped, null));
        var row = (await _node.Store.Jobs.GetAsync(job.Id))!;
        (row.State, row.LeaseOwner, row.Fence).ShouldBe((JobState.Stopped, null, claim.Lease.Fence + 1));
        await Should.ThrowAsync<StaleLeaseException>(() => _node.Store.Logs.AppendAsync(job.Id, [new NewLogLine("agent", "late line")], claim.Lease));
    }

    [Fact]
    public async Task Stopping_twice_changes_nothing_the_second_time()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1);

        using var first = await _node.Client.PostAsync(Url($"/api/jobs/{job.Id}/stop"), null);
        var afterFirst = (await _node.Jobs.GetAsync(job.Id))!.Value.State;
        using var second = await _node.Client.PostAsync(Url($"/api/jobs/{job.Id}/stop"), null);

        (await first.ReadAsync<JobSummary>(HttpStatusCode.OK)).State.ShouldBe(JobState.Stopped);
        (await second.ReadAsync<JobSummary>(HttpStatusCode.OK)).State.ShouldBe(JobState.Stopped);
        var events = await (await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}/events"))).ReadAsync<JobEventPage>(HttpStatusCode.OK);
        events.Events.Select(e => e.Type).ShouldBe(["job_created", "job_stopped"]);
        events.Events[1].Data.GetProperty("by").GetString().ShouldBe(JobAdminService.ActorName);
        (await _node.Jobs.GetAsync(job.Id))!.Value.State.UpdatedAt.ShouldBe(afterFirst.UpdatedAt, "the second stop decided nothing");
    }

    [Fact]
    public async Task Events_are_read_after_a_sequence_with_a_limit()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1);
        await _node.Jobs.SendAsync(job.Id, new Stop("tester"));
        await _node.Jobs.SendAsync(job.Id, new Rerun("tester"));

        var first = await (await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}/events?limit=1"))).ReadAsync<JobEventPage>(HttpStatusCode.OK);
        var rest = await (await _node.Client.GetAsync(Url($"/api/jobs/{job.Id}/events?after={first.Next}"))).ReadAsync<JobEventPage>(HttpStatusCode.OK);

        first.Events.Select(e => e.Type).ShouldBe(["job_created"]);
        rest.Events.Select(e => e.Type).ShouldBe(["job_stopped", "job_rerun"]);
        rest.Events.Select(e => e.Sequence).ShouldBe([first.Next + 1, first.Next + 2]);
        rest.Events[1].Data.GetProperty("run").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Retry_of_a_stopped_job_queues_run_2_from_attempt_1()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1);
        await _node.Jobs.SendAsync(job.Id, new Stop("tester"));

        using var response = await _node.Client.PostAsync(Url($"/api/jobs/{job.Id}/retry"), null);

        var retried = await response.ReadAsync<JobSummary>(HttpStatusCode.Accepted);
        response.Headers.Location!.ToString().ShouldBe($"/api/jobs/{job.Id}");
        (retried.State, retried.Attempt, retried.Run).ShouldBe((JobState.Queued, 1, 2));
        var (row, actor) = (await _node.Jobs.GetAsync(job.Id))!.Value;
        (row.State, row.Attempt, actor.Run).ShouldBe((JobState.Queued, 1, 2));
    }

    [Fact]
    public async Task Retry_of_a_queued_job_is_refused_with_409_naming_the_state_and_the_command()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1);

        using var response = await _node.Client.PostAsync(Url($"/api/jobs/{job.Id}/retry"), null);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, $"Job {job.Id} cannot handle Rerun while queued: only a finished job can be re-run.");
        (await _node.Store.Jobs.GetAsync(job.Id))!.Version.ShouldBe(job.Version);
    }

    [Fact]
    public async Task Stop_and_retry_of_an_unknown_job_are_404()
    {
        using var stop = await _node.Client.PostAsync(Url("/api/jobs/ghost/stop"), null);
        using var retry = await _node.Client.PostAsync(Url("/api/jobs/ghost/retry"), null);

        await stop.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job ghost does not exist.");
        await retry.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Job ghost does not exist.");
    }

    [Fact]
    public async Task Bulk_status_applies_the_action_per_job_and_reports_each_outcome()
    {
        var repo = AdminApiNode.NewRepo();
        var a = await _node.CreateJobAsync(repo, 1);
        var b = await _node.CreateJobAsync(repo, 2);
        var c = await _node.CreateJobAsync(repo, 3);

        using var stop = await _node.Client.PostJsonAsync("/api/jobs/bulk-status", new BulkStatusRequest([a.Id, b.Id, "ghost"], "stop"));
        using var retry = await _node.Client.PostJsonAsync("/api/jobs/bulk-status", new BulkStatusRequest([a.Id, c.Id], "retry"));
        using var close = await _node.Client.PostJsonAsync("/api/jobs/bulk-status", new BulkStatusRequest([c.Id, b.Id], "close"));

        var stopped = await stop.ReadAsync<BulkStatusResponse>(HttpStatusCode.OK);
        stopped.Results.ShouldBe(
        [
            new BulkStatusItem(a.Id, true, JobState.Stopped, null),
            new BulkStatusItem(b.Id, true, JobState.Stopped, null),
            new BulkStatusItem("ghost", false, null, "Job ghost does not exist."),
        ]);
        (stopped.Action, stopped.Succeeded, stopped.Failed).ShouldBe((JobAdminAction.Stop, 2, 1));
        (await retry.ReadAsync<BulkStatusResponse>(HttpStatusCode.OK)).Results.ShouldBe(
        [
            new BulkStatusItem(a.Id, true, JobState.Queued, null),
            new BulkStatusItem(c.Id, false, null, $"Job {c.Id} cannot handle Rerun while queued: only a finished job can be re-run."),
        ]);
        (await close.ReadAsync<BulkStatusResponse>(HttpStatusCode.OK)).Results.ShouldBe(
        [
            new BulkStatusItem(c.Id, true, JobState.Closed, null),
            new BulkStatusItem(b.Id, false, JobState.Stopped, $"Job {b.Id} is stopped and was not closed: only an open job without a pull request can be closed (a pull request's merge or close decides the others)."),
        ]);
    }

    [Theory]
    [InlineData("{\"ids\":[\"x\"],\"action\":\"explode\"}", "action must be 'stop', 'retry' or 'close' (was 'explode').")]
    [InlineData("{\"ids\":[],\"action\":\"stop\"}", "ids must be a non-empty list of job ids, with no blank ones.")]
    [InlineData("{\"action\":\"stop\"}", "ids must be a non-empty list of job ids, with no blank ones.")]
    [InlineData("null", "The body must be a bulk status request as a JSON object.")]
    public async Task Bulk_status_answers_bad_requests_with_400(string json, string detail)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await _node.Client.PostAsync(Url("/api/jobs/bulk-status"), content);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Bulk_status_answers_malformed_json_with_400_saying_why()
    {
        using var content = new StringContent("{\"ids\":[", System.Text.Encoding.UTF8, "application/json");

        using var response = await _node.Client.PostAsync(Url("/api/jobs/bulk-status"), content);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("The body is not valid JSON for a bulk status request: ");
    }

    [Fact]
    public async Task Purge_requires_olderThanDays_as_a_whole_number_of_days()
    {
        using var missing = await _node.Client.DeleteAsync(Url("/api/jobs"));
        using var negative = await _node.Client.DeleteAsync(Url("/api/jobs?olderThanDays=-1"));

        await missing.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "olderThanDays is required: finished jobs last updated more than that many days ago are deleted.");
        await negative.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "olderThanDays must be a whole number from 0 to 36500 (was '-1').");
    }

    private static Uri Url(string path) => new(path, UriKind.Relative);
}
