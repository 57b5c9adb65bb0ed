using System.Collections.Concurrent;
using AgentMesh.Grains.Abstractions.Logs;
using AgentMesh.Server.Changes;
using AgentMesh.Server.LiveLogs;
using AgentMesh.Server.Tests.Api;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Changes;

/// <summary>Readers on one silo share its one subscription of a stream: each gets every item sent while it reads, however many come and go.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class SharedStreamSubscriptionsTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task Every_reader_gets_each_item_sent_while_it_reads_and_the_last_to_leave_ends_the_subscription()
    {
        var subscriptions = _node.App.Services.GetRequiredService<SharedStreamSubscriptions>();
        var cluster = _node.App.Services.GetRequiredService<IClusterClient>();
        var jobId = $"shared-{Guid.NewGuid():N}";
        var stream = LiveLogPublisher.Stream(cluster, jobId);
        var first = new ConcurrentQueue<string>();
        var second = new ConcurrentQueue<string>();

        var firstReader = await subscriptions.SubscribeAsync(stream, batch => first.Enqueue(batch.Lines[0].Text));
        var secondReader = await subscriptions.SubscribeAsync(stream, batch => second.Enqueue(batch.Lines[0].Text));
        await stream.OnNextAsync(Batch(jobId, 1, "to both"));
        await Eventually.UntilAsync(() => first.Count == 1 && second.Count == 1, "both readers to get the first item");

        await firstReader.DisposeAsync();
        await stream.OnNextAsync(Batch(jobId, 2, "to the second"));
        await Eventually.UntilAsync(() => second.Count == 2, "the remaining reader to get the item sent after the other left");

        await secondReader.DisposeAsync();
        var third = new ConcurrentQueue<string>();
        await using (await subscriptions.SubscribeAsync(stream, batch => third.Enqueue(batch.Lines[0].Text)))
        {
            await stream.OnNextAsync(Batch(jobId, 3, "to a reader who came after everyone left"));
            await Eventually.UntilAsync(() => third.Count == 1, "a reader subscribing after the last one left to get the next item");
        }

        first.ToArray().ShouldBe(["to both"], "a reader that left gets nothing more");
        second.ToArray().ShouldBe(["to both", "to the second"]);
        third.ToArray().ShouldBe(["to a reader who came after everyone left"], "a new reader gets only what is sent after it subscribed");
    }

    private static LiveLogBatch Batch(string jobId, long sequence, string text) =>
        new(jobId, [new LiveLogLine(sequence, DateTimeOffset.UtcNow, "agent", text)]);
}
