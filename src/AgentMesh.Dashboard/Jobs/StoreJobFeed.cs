using System.Runtime.CompilerServices;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Dashboard.Jobs;

/// <summary><see cref="IJobFeed"/> over the store's change feed (LISTEN/NOTIFY on PostgreSQL, in-process on SQLite).</summary>
public sealed class StoreJobFeed(IAgentMeshStore store) : IJobFeed
{
    public async IAsyncEnumerable<JobFeedNotice> SubscribeAsync(string? jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in store.Feed.SubscribeAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            JobFeedKind? kind = change.Kind switch
            {
                StoreChangeKind.Resync => JobFeedKind.Resync,
                StoreChangeKind.Job => JobFeedKind.Job,
                StoreChangeKind.Log => JobFeedKind.Log,
                StoreChangeKind.Event => JobFeedKind.History,
                _ => null, // mailbox traffic shows through the job's own state
            };
            if (kind is { } known)
            {
                yield return new JobFeedNotice(known, change.JobId, change.Sequence);
            }
        }
    }
}
