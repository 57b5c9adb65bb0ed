using System.Runtime.CompilerServices;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Grains.Abstractions.Jobs;

namespace AgentMesh.Server.Changes;

/// <summary>The dashboard's <see cref="IJobFeed"/> over the cluster's job-change streams: a board or job page on any silo hears every silo's changes.</summary>
public sealed class ClusterJobFeed(JobChangeFeed changes) : IJobFeed
{
    public async IAsyncEnumerable<JobFeedNotice> SubscribeAsync(string? jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in changes.SubscribeAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            yield return new JobFeedNotice(
                change.Kind switch
                {
                    JobChangeKind.Job => JobFeedKind.Job,
                    JobChangeKind.Log => JobFeedKind.Log,
                    JobChangeKind.Event => JobFeedKind.History,
                    _ => JobFeedKind.Resync,
                },
                change.JobId,
                change.Sequence);
        }
    }
}
