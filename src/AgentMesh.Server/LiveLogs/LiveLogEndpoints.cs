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
/// then the live ones, skipping what it sent and filling any gap from the store.
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

    private static async Task<IResult> StreamAsync(string id, string? after, IAgentMeshStore store, IClusterClient cluster, HttpContext context)
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

        var live = Channel.CreateUnbounded<LiveLogBatch>(new UnboundedChannelOptions { SingleReader = true });
        var subscription = await LiveLogPublisher.Stream(cluster, id)
            .SubscribeAsync((batch, _) => live.Writer.WriteAsync(batch).AsTask())
            .ConfigureAwait(false);
        try
        {
            var response = context.Response;
            response.Headers.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            last = await SendStoredAsync(store, response, id, last, long.MaxValue, cancellationToken).ConfigureAwait(false);
            await foreach (var batch in live.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
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
            await subscription.UnsubscribeAsync().ConfigureAwait(false);
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

    private static Task SendAsync(HttpResponse response, long sequence, DateTimeOffset at, string stream, string text, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(new { sequence, at, stream, text });
        return response.WriteAsync($"id: {sequence}\nevent: line\ndata: {data}\n\n", cancellationToken);
    }
}
