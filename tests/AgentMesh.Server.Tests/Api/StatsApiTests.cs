using System.Net;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Server.Api.Stats;
using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary><c>/api/stats</c> over a known set of jobs driven through the real job actor, on a node of its own.</summary>
public sealed class StatsApiTests
{
    [Fact]
    public async Task Stats_count_jobs_by_repo_and_state_add_up_usage_and_compute_the_success_rate()
    {
        await using var node = await AdminApiNode.StartAsync();
        const string one = "acme/one";
        const string two = "acme/two";

        // acme/one: merged, pr_opened, failed (each with usage), stopped.
        await RunAsync(node, one, 1, new TokenUsage(100, 50, 10, 5), 0.25m, new ReportPrReady("done"), new PrOpened(11, "https://github.test/acme/one/pull/11", "agentmesh/1"), new Merged());
        await RunAsync(node, one, 2, new TokenUsage(200, 20, 0, 0), 0.50m, new ReportPrReady("done"), new PrOpened(12, "https://github.test/acme/one/pull/12", "agentmesh/2"));
        await RunAsync(node, one, 3, new TokenUsage(10, 1, 0, 0), 0.01m, new PermanentFailure("the agent cannot do this"));
        var stopped = await node.CreateJobAsync(one, 4);
        await node.Jobs.SendAsync(stopped.Id, new Stop("tester"));
        // acme/two: closed, running (with usage), queued.
        var closed = await node.CreateJobAsync(two, 1);
        await node.Jobs.SendAsync(closed.Id, new IssueClosed());
        await RunAsync(node, two, 2, new TokenUsage(5, 5, 0, 0), 0.02m);
        await node.CreateJobAsync(two, 3);

        var report = await (await node.Client.GetAsync(new Uri("/api/stats", UriKind.Relative))).ReadAsync<StatsReport>(HttpStatusCode.OK);

        report.Repos.Select(r => r.Repo).ShouldBe([one, two]);
        var a = report.Repos[0].Stats;
        (a.TotalJobs, a.Finished, a.Succeeded, a.SuccessRate).ShouldBe((4, 4, 2, 0.5));
        NonZero(a.Jobs).ShouldBe(new Dictionary<string, int> { ["pr_opened"] = 1, ["merged"] = 1, ["failed"] = 1, ["stopped"] = 1 });
        a.Tokens.ShouldBe(new TokenUsage(310, 71, 10, 5));
        a.CostUsd.ShouldBe(0.76m);
        var b = report.Repos[1].Stats;
        (b.TotalJobs, b.Finished, b.Succeeded, b.SuccessRate).ShouldBe((3, 1, 0, 0.0));
        NonZero(b.Jobs).ShouldBe(new Dictionary<string, int> { ["queued"] = 1, ["running"] = 1, ["closed"] = 1 });
        b.Tokens.ShouldBe(new TokenUsage(5, 5, 0, 0));
        b.CostUsd.ShouldBe(0.02m);
        var all = report.Overall;
        (all.TotalJobs, all.Finished, all.Succeeded, all.SuccessRate).ShouldBe((7, 5, 2, 0.4));
        all.Jobs.Keys.ShouldBe(["queued", "running", "waiting_for_reply", "waiting_for_approval", "pr_opened", "fixing", "merged", "failed", "stopped", "closed"]);
        all.Tokens.ShouldBe(new TokenUsage(315, 76, 10, 5));
        all.CostUsd.ShouldBe(0.78m);
    }

    [Fact]
    public async Task Stats_of_an_empty_store_have_no_success_rate()
    {
        await using var node = await AdminApiNode.StartAsync();

        var report = await (await node.Client.GetAsync(new Uri("/api/stats", UriKind.Relative))).ReadAsync<StatsReport>(HttpStatusCode.OK);

        report.Repos.ShouldBeEmpty();
        (report.Overall.TotalJobs, report.Overall.Finished, report.Overall.SuccessRate).ShouldBe((0, 0, null));
        report.Overall.Jobs.Values.ShouldAllBe(count => count == 0);
    }

    /// <summary>Creates a job, claims it as a worker would, records usage, then sends the rest of its commands under the lease.</summary>
    private static async Task RunAsync(AdminApiNode node, string repo, int number, TokenUsage tokens, decimal cost, params JobCommand[] then)
    {
        var job = await node.CreateJobAsync(repo, number);
        // Every earlier job is finished or leased, so this one is the only claimable job.
        var claim = (await node.Store.Jobs.TryClaimAsync(job.Id, "stats-worker/1", job.Repo, repoLimit: 1)).Claimed!;
        claim.Job.Id.ShouldBe(job.Id);
        await node.Jobs.SendAsync(job.Id, new Start("stats-worker/1", claim.Lease.Fence), claim.Lease);
        await node.Jobs.SendAsync(job.Id, new RecordUsage(tokens, cost), claim.Lease);
        foreach (var command in then)
        {
            await node.Jobs.SendAsync(job.Id, command, command is Merged ? null : claim.Lease);
        }
    }

    private static Dictionary<string, int> NonZero(IReadOnlyDictionary<string, int> counts) =>
        counts.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value);
}
