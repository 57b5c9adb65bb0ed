using System.Diagnostics;
using System.Threading.Channels;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Writes a running job's log lines in batches (one row per line), each batch under the worker's
/// lease, so a worker that lost its job cannot keep writing into it.
/// </summary>
public sealed class JobLogWriter : IAsyncDisposable
{
    // Log lines, and flush requests that complete once every line written before them is stored.
    private readonly Channel<object> _lines = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IJobLog _log;
    private readonly JobLease _lease;
    private readonly WorkerOptions _options;
    private readonly Task _pump;

    /// <param name="log">The node's log store: it sends each stored batch onto the job's live stream (PublishingJobLog).</param>
    public JobLogWriter(IJobLog log, JobLease lease, WorkerOptions options)
    {
        _log = log;
        _lease = lease;
        _options = options;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Set when a write was refused because the lease is gone; the run should stop.</summary>
    public bool LeaseLost { get; private set; }

    public void Write(string stream, string text) => _lines.Writer.TryWrite(new NewLogLine(stream, text));

    /// <summary>
    /// Stores every line written so far. Call it before a turn that gives up the lease (an outcome),
    /// or the last lines would be refused as a stale holder's.
    /// </summary>
    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _lines.Writer.TryWrite(flushed) ? flushed.Task : Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }

    /// <summary>
    /// Group commit with a floor between writes: a line is written as soon as the previous write is at least
    /// <see cref="WorkerOptions.LogWriteInterval"/> old, with every line that arrived meanwhile. A quiet agent's
    /// line is stored (and so on the live stream) at once; a chatty one's lines share writes, so one job writes
    /// (and publishes) at most a few dozen batches a second however fast its agent prints.
    /// </summary>
    private async Task PumpAsync()
    {
        var batch = new List<NewLogLine>(_options.LogBatchSize);
        var lastWrite = 0L;
        while (await _lines.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Real time, not the node's TimeProvider: this paces writes, it decides nothing about the job.
            var wait = _options.LogWriteInterval - Stopwatch.GetElapsedTime(lastWrite);
            if (lastWrite != 0 && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }
            while (batch.Count < _options.LogBatchSize && _lines.Reader.TryRead(out var item))
            {
                if (item is TaskCompletionSource flush)
                {
                    await FlushAsync(batch).ConfigureAwait(false);
                    flush.TrySetResult();
                    continue;
                }
                batch.Add((NewLogLine)item);
            }
            await FlushAsync(batch).ConfigureAwait(false);
            lastWrite = Stopwatch.GetTimestamp();
        }
        await FlushAsync(batch).ConfigureAwait(false);
    }

    private async Task FlushAsync(List<NewLogLine> batch)
    {
        if (batch.Count == 0 || LeaseLost)
        {
            batch.Clear();
            return;
        }
        try
        {
            NewLogLine[] lines = [.. batch];
            await _log.AppendAsync(_lease.JobId, lines, _lease).ConfigureAwait(false);
        }
        catch (StaleLeaseException)
        {
            LeaseLost = true;
        }
        batch.Clear();
    }
}
