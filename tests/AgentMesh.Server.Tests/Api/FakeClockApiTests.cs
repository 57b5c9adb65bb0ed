using System.Net;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Server.Api.Jobs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Api;

/// <summary>Time-dependent endpoints on a node of their own whose clock (and so its store's clock) the test moves.</summary>
public sealed class FakeClockApiTests
{
    [Fact]
    public async Task Purge_deletes_only_terminal_jobs_last_updated_before_the_cutoff_with_their_logs()
    {
        var clock = new FakeTimeProvider();
        await using var node = await AdminApiNode.StartAsync(timeProvider: clock);
        var repo = AdminApiNode.NewRepo();
        var oldStopped = await node.CreateJobAsync(repo, 1);
        var oldClosed = await node.CreateJobAsync(repo, 2);
        var oldQueued = await node.CreateJobAsync(repo, 3);
        await node.Jobs.SendAsync(oldStopped.Id, new Stop("tester"));
        await node.Jobs.SendAsync(oldClosed.Id, new IssueClosed());
        await node.Store.Logs.AppendAsync(oldStopped.Id, [new NewLogLine("stdout", "old line")]);
        clock.Advance(TimeSpan.FromDays(10));
        var recentStopped = await node.CreateJobAsync(repo, 4);
        await node.Jobs.SendAsync(recentStopped.Id, new Stop("tester"));

        using var response = await node.Client.DeleteAsync(new Uri("/api/jobs?olderThanDays=5", UriKind.Relative));

        var purge = await response.ReadAsync<PurgeResponse>(HttpStatusCode.OK);
        purge.ShouldBe(new PurgeResponse(2, clock.GetUtcNow().AddDays(-5)));
        (await node.Store.Jobs.GetAsync(oldStopped.Id)).ShouldBeNull();
        (await node.Store.Jobs.GetAsync(oldClosed.Id)).ShouldBeNull();
        (await node.Store.Logs.ReadAsync(oldStopped.Id, 0, 10)).ShouldBeEmpty();
        (await node.Store.Jobs.GetAsync(oldQueued.Id)).ShouldNotBeNull("a queued job is never purged, however old");
        (await node.Store.Jobs.GetAsync(recentStopped.Id)).ShouldNotBeNull("a job finished after the cutoff stays");
        using var again = await node.Client.DeleteAsync(new Uri("/api/jobs?olderThanDays=5", UriKind.Relative));
        (await again.ReadAsync<PurgeResponse>(HttpStatusCode.OK)).Purged.ShouldBe(0);
    }
}
