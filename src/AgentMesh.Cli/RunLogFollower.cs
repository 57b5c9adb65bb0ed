using System.Globalization;
using AgentMesh.Core.Jobs;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Changes;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Cli;

/// <summary>
/// Shows one job live: its log by sequence number and a status line (state, attempt, tokens), re-read whenever
/// the cluster's job-change stream says the job or its log changed. A notice carries only ids and sequence
/// numbers, so every wake-up re-reads from where it left off.
/// </summary>
public sealed class RunLogFollower(IAgentMeshStore store, JobChangeFeed changes, string jobId, RunConsole console)
{
    private const int PageSize = 500;

    private long _after;

    /// <summary>Starts after the lines already written, so a re-run shows only what it writes.</summary>
    public async Task SkipExistingAsync(CancellationToken cancellationToken)
    {
        var tail = await store.Logs.TailAsync(jobId, 1, cancellationToken).ConfigureAwait(false);
        _after = tail.Count == 0 ? 0 : tail[^1].Sequence;
    }

    /// <summary>Prints lines and updates <paramref name="status"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task FollowAsync(Action<string> status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        try
        {
            // The first item is a resync sent once the subscription is live: nothing written after it is missed.
            await foreach (var change in changes.SubscribeAsync(jobId, cancellationToken).ConfigureAwait(false))
            {
                if (change.Kind is JobChangeKind.Log or JobChangeKind.Resync)
                {
                    await PrintNewLinesAsync(cancellationToken).ConfigureAwait(false);
                }
                if (change.Kind is JobChangeKind.Job or JobChangeKind.Resync)
                {
                    status(await DescribeAsync(cancellationToken).ConfigureAwait(false));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Prints every line written since the last one printed.</summary>
    public async Task PrintNewLinesAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<LogLine> page;
        do
        {
            page = await store.Logs.ReadAsync(jobId, _after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var line in page)
            {
                console.Line(line);
                _after = line.Sequence;
            }
        }
        while (page.Count == PageSize);
    }

    /// <summary>The status line for the job as it is now.</summary>
    public async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        var found = await store.Jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return $"job {jobId} was deleted";
        }
        var actor = JobActor.Deserialize(found.DataJson);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"job {jobId}: {found.State.ToWire()}, attempt {found.Attempt} of {found.MaxAttempts}, {CliFormat.Number(actor.Usage.Total.Tokens.Total)} tokens");
    }
}
