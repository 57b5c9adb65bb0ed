using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentMesh.Dashboard.Jobs;

namespace AgentMesh.Dashboard.Tests.Support;

/// <summary>
/// The tests' <see cref="IJobFeed"/>: in memory, told of each write the seeder's store commits. It keeps the
/// node's rules: the first notice is a Resync once the subscription is live, a job's page hears all of its
/// notices, the board (every job) hears only state changes and resyncs.
/// </summary>
internal sealed class SeededJobFeed : IJobFeed
{
    private readonly List<Subscriber> _subscribers = [];

    public async IAsyncEnumerable<JobFeedNotice> SubscribeAsync(string? jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<JobFeedNotice>(new UnboundedChannelOptions { SingleReader = true });
        var subscriber = new Subscriber(jobId, channel.Writer);
        lock (_subscribers)
        {
            _subscribers.Add(subscriber);
        }
        try
        {
            // Live from here on: a snapshot loaded on this notice misses nothing.
            yield return new JobFeedNotice(JobFeedKind.Resync, string.Empty, 0);
            await foreach (var notice in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return notice;
            }
        }
        finally
        {
            lock (_subscribers)
            {
                _subscribers.Remove(subscriber);
            }
        }
    }

    public void Publish(JobFeedNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        Subscriber[] subscribers;
        lock (_subscribers)
        {
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            var hears = notice.Kind == JobFeedKind.Resync
                || (subscriber.JobId is null ? notice.Kind == JobFeedKind.Job : subscriber.JobId == notice.JobId);
            if (hears)
            {
                subscriber.Writer.TryWrite(notice);
            }
        }
    }

    private sealed record Subscriber(string? JobId, ChannelWriter<JobFeedNotice> Writer);
}
