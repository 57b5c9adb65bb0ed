using AgentMesh.Core.Jobs;
using System.Text.Json;
using System.Threading.Channels;
using AgentMesh.Grains.Abstractions.Logs;
using AgentMesh.Server.Api;
using AgentMesh.Storage.Abstractions;
using Orleans.Streams;

namespace AgentMesh.Server.LiveLogs;

/// <summary>
/// <c>GET /api/jobs/{id}/logs/live?after=N</c>: a job's log as server-sent events, each line once and in
/// order: it subscribes to the job's live stream first, then sends the stored lines after <c>after</c>,
/// then the live ones, skipping what it sent and filling any gap from the store. Once the job is final it sends
/// the rest of the log and an <c>end</c> event with the job's state, and closes (the CLI's <c>--follow</c> reads it).
/// </summary>
public static class LiveLogEndpoints
{
    private const int PageSize = 500;

    public static RouteGroupBuilder MapLiveLogs(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/jobs/{id}/logs/live", StreamAsync).WithTags("Jobs").WithName("StreamJobLogs")
            .WithSummary("The job's log lines after a sequence number, then each new line as it is written (text/event-stream).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> StreamAsync(string id, string? after, IAgentMeshStore store, IClusterClient cluster, Changes.JobChangeFeed changes, Changes.SharedStreamSubscriptions subscriptions, HttpContext context)
    {
        if (!QueryParameters.TryLong(after, nameof(after), 0, 0, long.MaxValue, out var last, out var problem))
        {
            return problem!;
        }
        var cancellationToken = context.RequestAborted;
        if (await store.Jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.JobNotFound(id);
        }

        // One reader for both: a batch of stored lines, or word that the job changed (null), which may mean it ended.
        var live = Channel.CreateUnbounded<LiveLogBatch?>(new UnboundedChannelOptions { SingleReader = true });
        var subscription = await subscriptions.SubscribeAsync(LiveLogPublisher.Stream(cluster, id), batch => live.Writer.TryWrite(batch)).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var jobChanges = ForwardJobChangesAsync(changes, id, live.Writer, stop.Token);
        try
        {
            var response = context.Response;
            response.Headers.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            last = await SendStoredAsync(store, response, id, last, long.MaxValue, cancellationToken).ConfigureAwait(false);
            await foreach (var batch in live.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (batch is null)
                {
                    var job = await store.Jobs.GetAsync(id, cancellationToken).ConfigureAwait(false);
                    if (job is null || job.State.IsTerminal())
                    {
                        // The log is complete once the job is final: send what is left, then say how it ended.
                        await SendStoredAsync(store, response, id, last, long.MaxValue, cancellationToken).ConfigureAwait(false);
                        await SendEndAsync(response, job?.State.ToWire() ?? "deleted", cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    continue;
                }
                var fresh = batch.Lines.Where(l => l.Sequence > last).ToList();
                if (fresh.Count == 0)
                {
                    continue;
                }
                if (fresh[0].Sequence > last + 1)
                {
                    // A batch never reached this silo: the store has it.
                    last = await SendStoredAsync(store, response, id, last, fresh[0].Sequence - 1, cancellationToken).ConfigureAwait(false);
                }
                foreach (var line in fresh.Where(l => l.Sequence > last))
                {
                    await SendAsync(response, line.Sequence, line.At, line.Stream, line.Text, cancellationToken).ConfigureAwait(false);
                    last = line.Sequence;
                }
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reader went away.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await jobChanges.ConfigureAwait(false);
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
        return Results.Empty;
    }

    private static async Task<long> SendStoredAsync(IAgentMeshStore store, HttpResponse response, string id, long after, long upTo, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.Logs.ReadAsync(id, after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var line in page.Where(l => l.Sequence <= upTo))
            {
                await SendAsync(response, line.Sequence, line.At, line.Stream, line.Text, cancellationToken).ConfigureAwait(false);
                after = line.Sequence;
            }
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (page.Count < PageSize || after >= upTo)
            {
                return after;
            }
        }
    }

    /// <summary>Passes on each change of the job (its first notice, once subscribed, too: the job may be final already).</summary>
    private static async Task ForwardJobChangesAsync(Changes.JobChangeFeed changes, string id, ChannelWriter<LiveLogBatch?> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in changes.SubscribeAsync(id, cancellationToken).ConfigureAwait(false))
            {
                if (change.Kind is Grains.Abstractions.Jobs.JobChangeKind.Job or Grains.Abstractions.Jobs.JobChangeKind.Resync)
                {
                    await writer.WriteAsync(null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task SendEndAsync(HttpResponse response, string state, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: end\ndata: {JsonSerializer.Serialize(new { state })}\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task SendAsync(HttpResponse response, long sequence, DateTimeOffset at, string stream, string text, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(new { sequence, at, stream, text });
        return response.WriteAsync($"id: {sequence}\nevent: line\ndata: {data}\n\n", cancellationToken);
    }
}
