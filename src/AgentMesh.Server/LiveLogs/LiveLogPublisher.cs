using AgentMesh.Grains.Abstractions.Logs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.LiveLogs;

/// <summary>
/// Sends log lines a worker just stored onto the job's live stream, for subscribers on any silo (the
/// API's live log, the dashboard). Best effort: the store is the truth, and a reader fills a gap from it,
/// so a failed send is logged and never fails the run.
/// </summary>
public sealed partial class LiveLogPublisher(IClusterClient cluster, TimeProvider timeProvider, ILogger<LiveLogPublisher> logger)
{
    /// <summary>Publishes <paramref name="lines"/>, stored with sequence numbers ending at <paramref name="lastSequence"/>.</summary>
    public async Task PublishAsync(string jobId, IReadOnlyList<NewLogLine> lines, long lastSequence)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        var first = lastSequence - lines.Count + 1;
        var batch = new LiveLogBatch(jobId, [.. lines.Select((line, i) => new LiveLogLine(first + i, now, line.Stream, line.Text))]);
        try
        {
            await Stream(cluster, jobId).OnNextAsync(batch).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(logger, ex, jobId);
        }
    }

    /// <summary>The job's live log stream.</summary>
    public static Orleans.Streams.IAsyncStream<LiveLogBatch> Stream(IClusterClient cluster, string jobId)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.GetStreamProvider(LiveLogStream.Provider).GetStream<LiveLogBatch>(LiveLogStream.For(jobId));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live log lines of job {JobId} were not published; readers fill them in from the store")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string jobId);
}
