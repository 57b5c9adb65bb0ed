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
    private readonly TimeProvider _timeProvider;
    private readonly Task _pump;

    /// <param name="log">The node's log store: it sends each stored batch onto the job's live stream (PublishingJobLog).</param>
    public JobLogWriter(IJobLog log, JobLease lease, WorkerOptions options, TimeProvider timeProvider)
    {
        _log = log;
        _lease = lease;
        _options = options;
        _timeProvider = timeProvider;
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

    private async Task PumpAsync()
    {
        var batch = new List<NewLogLine>(_options.LogBatchSize);
        while (await _lines.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Take what is there, then give late lines of the same burst a moment to join the batch.
            using var window = new CancellationTokenSource(_options.LogFlushInterval, _timeProvider);
            try
            {
                while (batch.Count < _options.LogBatchSize)
                {
                    if (_lines.Reader.TryRead(out var item))
                    {
                        if (item is TaskCompletionSource flush)
                        {
                            await FlushAsync(batch).ConfigureAwait(false);
                            flush.TrySetResult();
                            continue;
                        }
                        batch.Add((NewLogLine)item);
                    }
                    else if (!await _lines.Reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
            }
            await FlushAsync(batch).ConfigureAwait(false);
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
